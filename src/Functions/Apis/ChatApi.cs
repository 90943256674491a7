using System.Globalization;
using Microsoft.Extensions.Options;
using NodeOps.Assistant;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Functions.Http;
using NodeOps.Functions.Security;
using NodeOps.Json;

namespace NodeOps.Functions.Apis;

/// <summary>
/// The assistant's chat: one answer, or the answer streamed as SSE frames (deltas as the model writes, tool
/// activity, approval requests, a final frame); approvals of paused writes; the caller's own sessions.
/// Any signed-in caller may chat (viewers read-only); approving needs the user role.
/// </summary>
internal static class ChatApi
{
    public static RouteGroupBuilder MapChatApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/chat").WithTags("Assistant").RequireRole(Role.Viewer);
        // Declared so the body guard checks it and the OpenAPI document shows it; the handlers read it themselves.
        group.MapPost("", ChatAsync).Accepts<ChatRequest>("application/json");
        group.MapPost("/stream", StreamAsync).Accepts<ChatRequest>("application/json");
        group.MapPost("/approve", ApproveAsync).RequireRole(Role.User);
        group.MapGet("/sessions", ListSessionsAsync);
        group.MapGet("/sessions/{sessionId}", GetSessionAsync);
        group.MapDelete("/sessions", DeleteAllSessionsAsync);
        group.MapDelete("/sessions/{sessionId}", DeleteSessionAsync);
        return group;
    }

    private static async Task<IResult> ChatAsync(HttpContext http, AssistantAgent agent, IOptions<AssistantOptions> options, TimeProvider time)
    {
        var (query, sessionId, context) = await ChatRequests.ReadAsync(http, options.Value);
        var turn = new AgentTurn(Caller(http), sessionId, query, context, null, Stream: false);
        var result = await agent.RunAsync(turn, static (_, _) => ValueTask.CompletedTask, http.RequestAborted);
        return Results.Json(Body(result, query.Length, time), NodeOpsJson.Options);
    }

    private static async Task StreamAsync(HttpContext http, AssistantAgent agent, IOptions<AssistantOptions> options, TimeProvider time, ILogger<AssistantAgent> logger)
    {
        var (query, sessionId, context) = await ChatRequests.ReadAsync(http, options.Value);
        var turn = new AgentTurn(Caller(http), sessionId, query, context, null, Stream: true);
        await RunStreamAsync(http, agent, turn, query.Length, time, logger);
    }

    private static async Task ApproveAsync(ApproveRequest request, HttpContext http, AssistantAgent agent, TimeProvider time, ILogger<AssistantAgent> logger)
    {
        if (!ChatSessionStore.IsValidSessionId(request.SessionId))
        {
            throw ChatRequests.Invalid("session_id", "session_id 只能包含字母、数字和 . _ : -，最长 128 个字符");
        }

        var approval = new ApprovalDecision(request.ActionId, request.Decision == ApprovalChoice.Approve);
        var streamed = http.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);
        var turn = new AgentTurn(Caller(http), request.SessionId, null, new Dictionary<string, string>(), approval, streamed);
        if (streamed)
        {
            await RunStreamAsync(http, agent, turn, 0, time, logger);
            return;
        }

        var result = await agent.RunAsync(turn, static (_, _) => ValueTask.CompletedTask, http.RequestAborted);
        await Results.Json(Body(result, 0, time), NodeOpsJson.Options).ExecuteAsync(http);
    }

    private static async Task RunStreamAsync(HttpContext http, AssistantAgent agent, AgentTurn turn, int queryLength, TimeProvider time, ILogger logger)
    {
        var writer = new ChatStreamWriter(http);
        var sessionId = turn.SessionId;
        try
        {
            var result = await agent.RunAsync(turn, (e, ct) => writer.WriteAsync(Frame(e, sessionId, time), ct), http.RequestAborted);
            var final = Body(result, queryLength, time);
            final["done"] = true;
            final["type"] = "done";
            await writer.WriteAsync(final, http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the agent's work was cancelled with it.
        }
        catch (Exception ex) when (writer.Started && !http.RequestAborted.IsCancellationRequested)
        {
            // Headers are gone: the error travels as the stream's last frame, in the surface's error shape.
            var error = NodeOpsExceptionHandler.Map(ex);
            HttpLog.Answered(logger, http, ex, error);

            var details = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (error.Field is not null)
            {
                details["field"] = error.Field;
            }

            details["message"] = error.Detail;
            foreach (var (key, value) in error.Context ?? new Dictionary<string, object?>())
            {
                details[key] = value;
            }

            await writer.WriteAsync(new Dictionary<string, object?>
            {
                ["error"] = error.Title ?? error.Detail,
                ["status"] = "error",
                ["error_code"] = error.Code ?? ApiError.DefaultCode(error.Status),
                ["error_details"] = details,
                ["session_id"] = sessionId,
                ["done"] = true,
                ["type"] = "error",
                ["timestamp"] = time.GetUtcNow(),
                ["request_id"] = RequestIds.Get(http),
            }, CancellationToken.None);
        }
    }

    private static async Task<IResult> ListSessionsAsync(HttpContext http, ChatSessionStore sessions, TimeProvider time)
    {
        var list = await sessions.ListAsync(OwnerOf(http.GetActor()), http.RequestAborted);
        return Results.Json(new Dictionary<string, object?>
        {
            ["sessions"] = list.Select(SessionView).ToList(),
            ["total"] = list.Count,
            ["timestamp"] = time.GetUtcNow(),
        }, NodeOpsJson.Options);
    }

    private static async Task<IResult> GetSessionAsync(string sessionId, HttpContext http, ChatSessionStore sessions, TimeProvider time)
    {
        var session = await sessions.GetAsync(OwnerOf(http.GetActor()), sessionId, http.RequestAborted) ?? throw SessionNotFound(sessionId);
        var messages = await sessions.LoadMessagesAsync(session, http.RequestAborted);
        var view = SessionView(session);
        view["messages"] = messages.Where(m => m.Role is AgentRole.User or AgentRole.Assistant && m.Content.Length > 0)
            .Select(m => new Dictionary<string, object?> { ["role"] = m.Role, ["content"] = m.Content })
            .ToList();
        view["timestamp"] = time.GetUtcNow();
        return Results.Json(view, NodeOpsJson.Options);
    }

    private static async Task<IResult> DeleteSessionAsync(string sessionId, HttpContext http, ChatSessionStore sessions, TimeProvider time)
    {
        if (!await sessions.DeleteAsync(OwnerOf(http.GetActor()), sessionId, http.RequestAborted))
        {
            throw SessionNotFound(sessionId);
        }

        return Results.Json(new Dictionary<string, object?> { ["deleted"] = 1, ["session_id"] = sessionId, ["status"] = "deleted", ["timestamp"] = time.GetUtcNow() }, NodeOpsJson.Options);
    }

    private static async Task<IResult> DeleteAllSessionsAsync(HttpContext http, ChatSessionStore sessions, TimeProvider time)
    {
        var owner = OwnerOf(http.GetActor());
        var deleted = 0;
        foreach (var session in await sessions.ListAsync(owner, http.RequestAborted))
        {
            deleted += await sessions.DeleteAsync(owner, session.SessionId, http.RequestAborted) ? 1 : 0;
        }

        return Results.Json(new Dictionary<string, object?> { ["deleted"] = deleted, ["status"] = "deleted", ["timestamp"] = time.GetUtcNow() }, NodeOpsJson.Options);
    }

    private static NodeOpsException SessionNotFound(string sessionId) =>
        new(ErrorKind.NotFound, $"会话 {sessionId} 不存在", "session_id", "SESSION_NOT_FOUND");

    /// <summary>Sessions belong to a user, or to an API key (machine clients do not share a user's conversations).</summary>
    private static string OwnerOf(Actor actor) => actor.ApiKeyId is null
        ? "u-" + actor.UserId.ToString(CultureInfo.InvariantCulture)
        : "k-" + actor.ApiKeyId;

    private static AgentCaller Caller(HttpContext http)
    {
        var actor = http.GetActor();
        return new AgentCaller(OwnerOf(actor), actor.DisplayName, actor.IsAtLeast(Role.User));
    }

    private static Dictionary<string, object?> SessionView(ChatSession s) => new()
    {
        ["session_id"] = s.SessionId,
        ["title"] = s.Title,
        ["created_at"] = s.CreatedAt,
        ["updated_at"] = s.UpdatedAt,
        ["turns"] = s.Turns,
        ["message_count"] = s.MessageCount,
        ["total_tokens"] = s.TotalTokens,
        ["provider"] = s.Provider,
        ["model"] = s.Model,
        ["cluster"] = s.Cluster,
        ["namespace"] = s.Namespace,
        ["pending_action"] = s.Pending is null ? null : new PendingActionView(s.Pending.ActionId, s.Pending.Tool, s.Pending.Command, s.Pending.RequestedAt),
    };

    private static Dictionary<string, object?> Body(AgentResult result, int queryLength, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var metadata = new Dictionary<string, object?>
        {
            ["query_length"] = queryLength.ToString(CultureInfo.InvariantCulture),
            ["processed_at"] = now,
            ["execution_time"] = AssistantFormat.Duration(result.ExecutionTime),
            ["execution_time_ms"] = Math.Round(result.ExecutionTime.TotalMilliseconds, 1),
            ["tools_used"] = result.ToolsUsed,
            ["model_used"] = result.Model,
            ["provider"] = result.Provider,
            ["prompt_tokens"] = result.PromptTokens,
            ["completion_tokens"] = result.CompletionTokens,
            ["total_tokens"] = result.PromptTokens + result.CompletionTokens,
            ["iterations"] = result.Iterations,
            ["tool_calls"] = result.ToolCalls,
        };
        if (result.StoppedReason is not null)
        {
            metadata["stopped_reason"] = result.StoppedReason;
        }

        var body = new Dictionary<string, object?>
        {
            ["response"] = result.Response,
            ["session_id"] = result.SessionId,
            ["status"] = result.Status,
            ["metadata"] = metadata,
            ["timestamp"] = now,
        };
        if (result.Pending is { } pending)
        {
            metadata["pending_action"] = pending;
            body["pending_action"] = pending;
        }

        return body;
    }

    private static object Frame(AgentEvent e, string sessionId, TimeProvider time) => e switch
    {
        AgentDelta d => new DeltaFrame(d.Text, sessionId, "processing", false, time.GetUtcNow()),
        AgentToolStarted s => new Dictionary<string, object?>
        {
            ["type"] = "tool_call",
            ["tool"] = s.Tool,
            ["command"] = s.Command,
            ["call_id"] = s.CallId,
            ["safety"] = s.Safety,
            ["session_id"] = sessionId,
            ["status"] = "processing",
            ["done"] = false,
            ["timestamp"] = time.GetUtcNow(),
        },
        AgentToolFinished f => new Dictionary<string, object?>
        {
            ["type"] = "tool_result",
            ["tool"] = f.Tool,
            ["command"] = f.Command,
            ["call_id"] = f.CallId,
            ["exit_code"] = f.ExitCode,
            ["timed_out"] = f.TimedOut,
            ["truncated"] = f.Truncated,
            ["summary"] = f.Summary,
            ["duration_ms"] = Math.Round(f.Duration.TotalMilliseconds, 1),
            ["session_id"] = sessionId,
            ["status"] = "processing",
            ["done"] = false,
            ["timestamp"] = time.GetUtcNow(),
        },
        AgentToolRefused r => new Dictionary<string, object?>
        {
            ["type"] = "tool_refused",
            ["tool"] = r.Tool,
            ["command"] = r.Command,
            ["call_id"] = r.CallId,
            ["reason"] = r.Reason,
            ["session_id"] = sessionId,
            ["status"] = "processing",
            ["done"] = false,
            ["timestamp"] = time.GetUtcNow(),
        },
        AgentApprovalRequired a => new Dictionary<string, object?>
        {
            ["type"] = "approval_required",
            ["action_id"] = a.ActionId,
            ["tool"] = a.Tool,
            ["command"] = a.Command,
            ["session_id"] = sessionId,
            ["status"] = "approval_required",
            ["done"] = false,
            ["timestamp"] = time.GetUtcNow(),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown agent event."),
    };

    /// <summary>The delta frame, field for field as the spec shows it (plus "type").</summary>
    private sealed record DeltaFrame(string Delta, string SessionId, string Status, bool Done, DateTimeOffset Timestamp)
    {
        public string Type => "delta";
    }
}
