using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Functions.Http;
using NodeOps.Functions.Security;
using NodeOps.Progress;

namespace NodeOps.Functions.SignalR;

/// <summary>
/// Serverless mode (SignalR:Mode=Serverless): clients hold their connection on Azure SignalR Service, and NodeOps
/// answers two kinds of HTTP calls in its ordinary pipeline, so both hosts serve them:
/// <list type="bullet">
/// <item>POST /api/v1/hubs/progress/negotiate, from the client with its NodeOps JWT or API key: the service URL and a
/// client access token whose user id is the caller's NodeOps user id.</item>
/// <item>POST /api/v1/hubs/progress/upstream, from the service (its upstream URL template points here): the client's
/// Subscribe and Unsubscribe invocations, which add or remove the connection to or from the task's group after the
/// same check the WebSocket makes. The caller is proven by X-ASRS-Signature, not by a NodeOps credential.</item>
/// </list>
/// </summary>
internal static class ServerlessProgressEndpoints
{
    private const int MaxUpstreamBodyBytes = 16 * 1024;
    private const byte RecordSeparator = 0x1e;

    /// <summary>The service's user id of a connection negotiated with an API key (a user's is the user id).</summary>
    private const string ApiKeyUserPrefix = "apikey:";

    public static IEndpointRouteBuilder MapServerlessProgressEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(SignalROptions.HubPath + "/negotiate", Negotiate).RequireRole(ProgressAccess.MinimumRole).WithTags("Progress");
        // The upstream URL template may add {category}/{event}; the same facts come in the X-ASRS-* headers.
        routes.MapPost(SignalROptions.HubPath + "/upstream/{**template}", UpstreamAsync).AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    private static IResult Negotiate(HttpContext http, SignalRServiceEndpoint endpoint, SignalRServiceTokens tokens, IOptions<SignalROptions> options)
    {
        var actor = http.GetActor();
        var userId = actor.ApiKeyId is { } keyId ? ApiKeyUserPrefix + keyId : actor.UserId.ToString(CultureInfo.InvariantCulture);
        var token = tokens.ForClient(userId, options.Value.ClientTokenLifetime);
        // The SignalR clients read this redirect form of the negotiate response (camelCase, unlike the API's snake_case:
        // dictionary keys are written as they are) and connect to the service with the token.
        return Results.Json(new Dictionary<string, string> { ["url"] = endpoint.ClientUrl, ["accessToken"] = token });
    }

    private static async Task UpstreamAsync(
        HttpContext http,
        SignalRServiceTokens tokens,
        UserDirectory users,
        ApiKeyService apiKeys,
        IProgressSnapshotSource snapshots,
        SignalRRestClient rest,
        TimeProvider time)
    {
        var headers = http.Request.Headers;
        var connectionId = headers["X-ASRS-Connection-Id"].ToString();
        if (!tokens.IsValidUpstreamSignature(connectionId, headers["X-ASRS-Signature"].ToString()))
        {
            await ErrorWriter.WriteAsync(http, new ApiError(401, "X-ASRS-Signature 无效", Code: "UNAUTHORIZED"));
            return;
        }

        if (!string.Equals(headers["X-ASRS-Category"].ToString(), "messages", StringComparison.OrdinalIgnoreCase))
        {
            // connected / disconnected: the service drops a closed connection from its groups itself.
            http.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        var invocation = await ReadInvocationAsync(http);
        string? error = null;
        try
        {
            var caller = await CallerAsync(headers["X-ASRS-User-Id"].ToString(), users, apiKeys, http.RequestAborted);
            error = await HandleAsync(invocation, connectionId, caller, snapshots, rest, time, http.RequestAborted);
        }
        catch (SignalRServiceException ex)
        {
            error = "订阅暂时失败，请重试: " + ex.Message;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        if (invocation.InvocationId is not null)
        {
            // A blocking invocation waits for its completion message, written in the client's (JSON) protocol.
            http.Response.ContentType = "application/json";
            var completion = error is null
                ? JsonSerializer.SerializeToUtf8Bytes(new { type = 3, invocationId = invocation.InvocationId, result = (object?)null })
                : JsonSerializer.SerializeToUtf8Bytes(new { type = 3, invocationId = invocation.InvocationId, error });
            await http.Response.Body.WriteAsync(completion);
            await http.Response.Body.WriteAsync(new[] { RecordSeparator });
        }
    }

    /// <summary>Runs one invocation; returns the error the client sees, or null.</summary>
    private static async Task<string?> HandleAsync(
        Invocation invocation,
        string connectionId,
        Actor? caller,
        IProgressSnapshotSource snapshots,
        SignalRRestClient rest,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!ProgressAccess.MayWatch(caller))
        {
            return "权限不足";
        }

        var taskId = invocation.TaskId;
        switch (invocation.Target)
        {
            case "Subscribe":
                if (!ProgressSubscriptions.IsValidTaskId(taskId))
                {
                    return ProgressSubscriptions.RefusalText(SubscribeOutcome.InvalidTaskId, taskId, 0);
                }

                var snapshot = await snapshots.GetSnapshotAsync(taskId, cancellationToken);
                if (snapshot is null)
                {
                    return ProgressSubscriptions.RefusalText(SubscribeOutcome.NotFound, taskId, 0);
                }

                await SubscribeAsync(rest, snapshots, connectionId, taskId, snapshot, time, cancellationToken);
                return null;
            case "Unsubscribe":
                if (ProgressSubscriptions.IsValidTaskId(taskId))
                {
                    await rest.RemoveFromGroupAsync(ServerlessProgressPublisher.GroupFor(taskId), connectionId, cancellationToken);
                }

                return null;
            default:
                return $"方法必须是 Subscribe 或 Unsubscribe，收到 {invocation.Target}";
        }
    }

    /// <summary>
    /// The snapshot goes to the connection before it joins the task's group, so it is the first event the client
    /// sees; a second read after joining covers what changed in between (sent as progress, or as the completion, which
    /// the group may then deliver again). A finished task needs no group: its snapshot and completion are all there is.
    /// </summary>
    private static async Task SubscribeAsync(SignalRRestClient rest, IProgressSnapshotSource snapshots, string connectionId, string taskId, ProgressSnapshot snapshot, TimeProvider time, CancellationToken cancellationToken)
    {
        await SendAsync(snapshot.Event with { Type = ProgressEventTypes.Snapshot, Timestamp = time.GetUtcNow() });
        if (snapshot.Finished)
        {
            await SendAsync(snapshot.Event with { Type = ProgressEventTypes.Complete });
            return;
        }

        await rest.AddToGroupAsync(ServerlessProgressPublisher.GroupFor(taskId), connectionId, cancellationToken);
        var after = await snapshots.GetSnapshotAsync(taskId, cancellationToken);
        if (after is not null && after.StatusKey != snapshot.StatusKey)
        {
            await SendAsync(after.Event with { Type = after.Finished ? ProgressEventTypes.Complete : ProgressEventTypes.Progress });
        }

        Task SendAsync(ProgressEvent progressEvent) =>
            rest.SendToConnectionAsync(connectionId, ServerlessProgressPublisher.Target, ProgressWire.ToElement(progressEvent), cancellationToken);
    }

    /// <summary>
    /// The caller as the WebSocket's authentication would see it now: the stored account (enabled) or the live API key,
    /// never the claims of a token that may be hours old.
    /// </summary>
    private static async Task<Actor?> CallerAsync(string userId, UserDirectory users, ApiKeyService apiKeys, CancellationToken cancellationToken)
    {
        if (userId.StartsWith(ApiKeyUserPrefix, StringComparison.Ordinal))
        {
            var keyId = userId[ApiKeyUserPrefix.Length..];
            var key = (await apiKeys.ListAsync(cancellationToken)).FirstOrDefault(k => k.Id == keyId && k.RevokedAt is null);
            return key is null ? null : new Actor(0, "apikey:" + key.Name, key.Role, key.Id);
        }

        var account = long.TryParse(userId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? await users.FindAsync(id, cancellationToken) : null;
        return account is null || account.Disabled ? null : new Actor(account.Id, account.Username, account.Role);
    }

    private static async Task<Invocation> ReadInvocationAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxUpstreamBodyBytes)
            {
                throw NodeOpsException.BadRequest("body", $"上游消息最大 {MaxUpstreamBodyBytes} 字节");
            }
        }

        var bytes = buffer.ToArray().AsSpan();
        var end = bytes.IndexOf(RecordSeparator);
        try
        {
            using var message = JsonDocument.Parse(Encoding.UTF8.GetString(end >= 0 ? bytes[..end] : bytes));
            var root = message.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.Number || type.GetInt32() != 1
                || !root.TryGetProperty("target", out var target) || target.ValueKind != JsonValueKind.String)
            {
                throw NodeOpsException.BadRequest("body", "上游消息必须是 SignalR JSON 协议的调用消息 (type 1，带 target)");
            }

            var invocationId = root.TryGetProperty("invocationId", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
            var taskId = root.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.Array && arguments.GetArrayLength() > 0
                && arguments[0].ValueKind == JsonValueKind.String ? arguments[0].GetString() : null;
            return new Invocation(target.GetString()!, invocationId, taskId);
        }
        catch (JsonException)
        {
            throw NodeOpsException.BadRequest("body", "上游消息不是有效的 JSON");
        }
    }

    private sealed record Invocation(string Target, string? InvocationId, string? TaskId);
}
