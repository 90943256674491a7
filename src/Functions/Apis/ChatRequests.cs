using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NodeOps.Assistant;
using NodeOps.Clusters;
using NodeOps.Errors;

namespace NodeOps.Functions.Apis;

/// <summary>
/// The chat body: query, session_id, context (string values) and the clients' stream flag. The spec's clients send
/// exactly these; anything else is refused by name.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ChatRequest(string? Query = null, string? SessionId = null, Dictionary<string, JsonElement>? Context = null, bool? Stream = null);

internal enum ApprovalChoice
{
    Approve,
    Deny,
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ApproveRequest(string SessionId, string ActionId, ApprovalChoice Decision);

/// <summary>
/// Reads a chat body. The query is checked before anything else, so a body without one gets MISSING_QUERY as the
/// spec shows (even {"invalid": "request"}); then the body is bound strictly and a wrong field is named.
/// </summary>
internal static class ChatRequests
{
    private const int MaxContextEntries = 32;
    private const int MaxContextValueLength = 1024;

    public static async Task<(string Query, string SessionId, Dictionary<string, string> Context)> ReadAsync(HttpContext http, AssistantOptions options)
    {
        if (!http.Request.HasJsonContentType())
        {
            throw new BadHttpRequestException("Content-Type must be application/json", StatusCodes.Status415UnsupportedMediaType);
        }

        using var document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new NodeOpsException(ErrorKind.BadRequest, "请求体必须是 JSON 对象", code: "INVALID_REQUEST");
        }

        if (!root.TryGetProperty("query", out var query) || query.ValueKind == JsonValueKind.Null
            || (query.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(query.GetString())))
        {
            throw new NodeOpsException(ErrorKind.BadRequest, "请求中缺少必需的query字段", "query", "MISSING_QUERY")
            {
                Title = "查询是必需的",
                Context = new Dictionary<string, object?> { ["suggestion"] = "请在请求体中包含query字段" },
            };
        }

        var serializer = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var request = root.Deserialize<ChatRequest>(serializer)!;
        var text = request.Query!.Trim();
        if (text.Length > options.MaxQueryLength)
        {
            throw Invalid("query", $"query 不能超过 {options.MaxQueryLength} 个字符");
        }

        var sessionId = request.SessionId is { Length: > 0 } id ? id : "session_" + Guid.NewGuid().ToString("N");
        if (!ChatSessionStore.IsValidSessionId(sessionId))
        {
            throw Invalid("session_id", "session_id 只能包含字母、数字和 . _ : -，最长 128 个字符");
        }

        var context = ReadContext(request.Context);
        if (context.TryGetValue("cluster", out var cluster) && cluster.Length > 0)
        {
            await EnsureClusterKnownAsync(http.RequestServices, cluster, http.RequestAborted);
        }

        return (text, sessionId, context);
    }

    /// <summary>
    /// An unknown cluster is the caller's mistake, said before the model is asked: otherwise it would surface only
    /// when a tool runs. A cluster is usable when the registry has a kubeconfig for it.
    /// </summary>
    private static async Task EnsureClusterKnownAsync(IServiceProvider services, string cluster, CancellationToken cancellationToken)
    {
        string? kubeconfig;
        try
        {
            kubeconfig = services.GetService<IKubeconfigSource>() is { } source ? await source.GetKubeconfigAsync(cluster, cancellationToken) : null;
        }
        catch (NodeOpsException ex) when (ex.Kind == ErrorKind.NotFound)
        {
            kubeconfig = null;
        }

        if (kubeconfig is null)
        {
            throw Invalid("context.cluster", $"集群 '{cluster}' 不存在或没有 kubeconfig；可用的集群见 GET /api/v1/clusters");
        }
    }

    public static NodeOpsException Invalid(string field, string message) =>
        new(ErrorKind.BadRequest, message, field, "INVALID_REQUEST") { Context = new Dictionary<string, object?> { ["suggestion"] = $"请检查 {field} 字段" } };

    private static Dictionary<string, string> ReadContext(Dictionary<string, JsonElement>? context)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (context is null)
        {
            return result;
        }

        if (context.Count > MaxContextEntries)
        {
            throw Invalid("context", $"context 最多 {MaxContextEntries} 项");
        }

        foreach (var (key, value) in context)
        {
            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                JsonValueKind.Null => null,
                _ => throw Invalid($"context.{key}", $"context.{key} 必须是字符串"),
            };
            if (text is null)
            {
                continue;
            }

            if (text.Length > MaxContextValueLength)
            {
                throw Invalid($"context.{key}", $"context.{key} 不能超过 {MaxContextValueLength} 个字符");
            }

            result[key] = text;
        }

        if (result.TryGetValue("namespace", out var ns) && ns.Length > 0 && !IsDnsLabel(ns))
        {
            throw Invalid("context.namespace", "context.namespace 不是有效的 Kubernetes 命名空间名称");
        }

        if (result.TryGetValue("cluster", out var cluster) && cluster.Length > 0 && (cluster.Length > 128 || cluster.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?')))
        {
            throw Invalid("context.cluster", "context.cluster 不是有效的集群名称");
        }

        return result;
    }

    private static bool IsDnsLabel(string value) =>
        value.Length <= 63 && char.IsAsciiLetterOrDigit(value[0]) && char.IsAsciiLetterOrDigit(value[^1])
        && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
