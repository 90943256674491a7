using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Errors;

namespace NodeOps.Assistant;

/// <summary>
/// The agent loop: the model answers or calls tools, tool results go back to it, until it answers or the iteration
/// cap is reached. Reads run at once; writes are refused in read-only mode, otherwise the turn pauses with a
/// pending action persisted in the session, and a later approval (on any instance) resumes it. Every event is
/// handed to <c>onEvent</c> as it happens, so a stream shows deltas as the provider sends them.
/// </summary>
public sealed partial class AssistantAgent(
    LlmProviderCatalog providers,
    ILlmClient llm,
    IEnumerable<IAssistantTool> tools,
    IEnumerable<IAssistantToolSource> toolSources,
    ChatSessionStore sessions,
    CommandAuditLog audit,
    AssistantMetrics metrics,
    IOptions<AssistantOptions> options,
    TimeProvider time,
    ILogger<AssistantAgent> logger)
{
    private const int MaxRepeatsOfOneCall = 2;
    private readonly AssistantOptions _options = options.Value;
    private readonly IReadOnlyList<IAssistantTool> _fixedTools = [.. tools];
    private readonly IReadOnlyList<IAssistantToolSource> _toolSources = [.. toolSources];

    /// <summary>The tools the model is offered now (MCP tools of servers that are down are not).</summary>
    public IReadOnlyCollection<string> ToolNames => CurrentTools().Keys;

    /// <summary>The fixed tools, then the custom and MCP ones; a name taken already keeps its first owner.</summary>
    private Dictionary<string, IAssistantTool> CurrentTools()
    {
        var current = new Dictionary<string, IAssistantTool>(StringComparer.Ordinal);
        foreach (var tool in _fixedTools.Concat(_toolSources.SelectMany(s => s.AvailableTools)))
        {
            current.TryAdd(tool.Name, tool);
        }

        return current;
    }

    public async Task<AgentResult> RunAsync(AgentTurn turn, Func<AgentEvent, CancellationToken, ValueTask> onEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(onEvent);
        var started = time.GetTimestamp();
        var succeeded = false;
        try
        {
            var result = await RunTurnAsync(turn, onEvent, started, cancellationToken).ConfigureAwait(false);
            succeeded = true;
            return result;
        }
        finally
        {
            metrics.RecordTurn(time.GetElapsedTime(started), succeeded);
        }
    }

    private async Task<AgentResult> RunTurnAsync(AgentTurn turn, Func<AgentEvent, CancellationToken, ValueTask> onEvent, long started, CancellationToken cancellationToken)
    {
        var provider = providers.Default ?? throw NoProvider();
        var model = provider.Model(null);
        var (session, etag) = await sessions.ClaimAsync(turn.Caller.Owner, turn.Caller.DisplayName, turn.SessionId, create: turn.Approval is null, _options.SessionLease, cancellationToken).ConfigureAwait(false);
        var committed = false;
        try
        {
            var state = new TurnState(turn, session, provider, model, CurrentTools());
            var history = await sessions.LoadMessagesAsync(session, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<AgentToolCall> calls = [];
            if (turn.Approval is { } decision)
            {
                calls = await ResumeAsync(state, decision, onEvent, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                state.Appended.Add(AgentMessage.User(turn.Query ?? ""));
            }

            while (true)
            {
                if (calls.Count > 0)
                {
                    var paused = await RunToolCallsAsync(state, calls, onEvent, cancellationToken).ConfigureAwait(false);
                    if (paused is not null)
                    {
                        session = await sessions.CommitAsync(Finish(state, paused), etag, state.Appended, cancellationToken).ConfigureAwait(false);
                        committed = true;
                        await onEvent(new AgentApprovalRequired(paused.ActionId, paused.Tool, paused.Command), cancellationToken).ConfigureAwait(false);
                        return Result(state, "approval_required", started, paused);
                    }
                }

                if (state.Iteration >= _options.MaxIterations)
                {
                    state.StoppedReason = "max_iterations";
                    await EmitTextAsync(state, $"\n\n（已达到最多 {_options.MaxIterations} 轮工具调用，已停止。请缩小问题范围后继续。）", onEvent, cancellationToken).ConfigureAwait(false);
                    break;
                }

                state.Iteration++;
                var completion = await CallModelAsync(state, history, onEvent, cancellationToken).ConfigureAwait(false);
                state.Appended.Add(AgentMessage.Assistant(completion.Content, completion.ToolCalls));
                if (completion.ToolCalls.Count == 0)
                {
                    break;
                }

                calls = completion.ToolCalls;
            }

            session = await sessions.CommitAsync(Finish(state, null), etag, state.Appended, cancellationToken).ConfigureAwait(false);
            committed = true;
            return Result(state, "completed", started, null);
        }
        finally
        {
            if (!committed)
            {
                // The turn failed or the client left: give the session back, unchanged, for the next request.
                await sessions.ReleaseAsync(session, etag, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task<IReadOnlyList<AgentToolCall>> ResumeAsync(TurnState state, ApprovalDecision decision, Func<AgentEvent, CancellationToken, ValueTask> onEvent, CancellationToken cancellationToken)
    {
        var pending = state.Session.Pending
            ?? throw new NodeOpsException(ErrorKind.Conflict, $"会话 {state.Session.SessionId} 没有等待审批的操作", "action_id", "NO_PENDING_ACTION");
        if (!string.Equals(pending.ActionId, decision.ActionId, StringComparison.Ordinal))
        {
            throw new NodeOpsException(ErrorKind.NotFound, $"操作 {decision.ActionId} 不存在或已处理；等待审批的是 {pending.ActionId}", "action_id", "ACTION_NOT_FOUND");
        }

        state.Iteration = pending.Iteration;
        state.ToolsUsed.UnionWith(pending.ToolsUsed);
        state.Response.Append(pending.ResponseSoFar);
        state.Cluster = pending.Cluster;
        state.Namespace = pending.Namespace;
        state.Session = state.Session with { Pending = null };
        var call = new PlannedToolCall(pending.Tool, pending.Argv, pending.Command, CommandSafety.Write, null);
        if (decision.Approve)
        {
            // Exactly the argv that was shown and approved runs; nothing is re-planned.
            var content = await ExecuteAsync(state, pending.ToolCallId, call, approvedBy: state.Turn.Caller.DisplayName, pending.ActionId, onEvent, cancellationToken).ConfigureAwait(false);
            state.Appended.Add(AgentMessage.ToolResult(pending.ToolCallId, content));
        }
        else
        {
            var reason = $"用户 {state.Turn.Caller.DisplayName} 拒绝执行此命令";
            await onEvent(new AgentToolRefused(pending.ToolCallId, pending.Tool, pending.Command, reason), cancellationToken).ConfigureAwait(false);
            state.Appended.Add(AgentMessage.ToolResult(pending.ToolCallId,
                $"The user denied this command; it was NOT executed: {pending.Command}. Do not retry it. Tell the user what was not done and suggest alternatives if useful."));
        }

        return pending.RemainingCalls;
    }

    /// <summary>Runs the calls in order; returns the pending action when one needs approval (the rest wait with it).</summary>
    private async Task<PendingAction?> RunToolCallsAsync(TurnState state, IReadOnlyList<AgentToolCall> calls, Func<AgentEvent, CancellationToken, ValueTask> onEvent, CancellationToken cancellationToken)
    {
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            state.ToolCalls++;
            if (!state.Tools.TryGetValue(call.Name, out var tool))
            {
                await RefuseAsync(state, call, call.Name, $"没有名为 {call.Name} 的工具（或其 MCP 服务器当前不可用）；可用工具：{string.Join(", ", state.Tools.Keys)}", onEvent, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var plan = tool.Plan(call.Arguments, new ToolContext(state.Cluster, state.Namespace));
            var key = plan.Tool + "\n" + plan.Command;
            var repeats = state.CallCounts.GetValueOrDefault(key) + 1;
            state.CallCounts[key] = repeats;
            if (plan.Refusal is not null)
            {
                await RefuseAsync(state, call, plan.Command, plan.Refusal, onEvent, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (repeats > MaxRepeatsOfOneCall)
            {
                await RefuseAsync(state, call, plan.Command, $"同一命令在本轮已执行 {MaxRepeatsOfOneCall} 次，不再重复；请使用之前的输出", onEvent, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (plan.Safety == CommandSafety.Write)
            {
                if (!_options.AllowWrites || !state.Turn.Caller.MayApproveWrites)
                {
                    var why = !_options.AllowWrites
                        ? "NodeOps 助手处于只读模式，会修改集群的命令（以及无法确定是否只读的命令）不会执行"
                        : "当前用户是只读角色（viewer），会修改集群的命令不会执行";
                    await RefuseAsync(state, call, plan.Command, why, onEvent, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                return new PendingAction(
                    "act_" + Guid.NewGuid().ToString("N")[..16],
                    call.Id,
                    plan.Tool,
                    plan.Command,
                    plan.Argv,
                    calls.Skip(i + 1).ToList(),
                    state.Iteration,
                    time.GetUtcNow(),
                    state.Turn.Caller.DisplayName,
                    state.Cluster,
                    state.Namespace,
                    [.. state.ToolsUsed],
                    state.Response.ToString());
            }

            var content = await ExecuteAsync(state, call.Id, plan, approvedBy: null, actionId: null, onEvent, cancellationToken).ConfigureAwait(false);
            state.Appended.Add(AgentMessage.ToolResult(call.Id, content));
        }

        return null;
    }

    private async Task<string> ExecuteAsync(TurnState state, string callId, PlannedToolCall plan, string? approvedBy, string? actionId, Func<AgentEvent, CancellationToken, ValueTask> onEvent, CancellationToken cancellationToken)
    {
        await onEvent(new AgentToolStarted(callId, plan.Tool, plan.Command, plan.Safety), cancellationToken).ConfigureAwait(false);
        state.ToolsUsed.Add(plan.Tool);
        var toolStarted = time.GetTimestamp();
        ToolRunResult result;
        try
        {
            // An approved call may come back after its MCP server went away: the model is told, the turn goes on.
            var tool = state.Tools.GetValueOrDefault(plan.Tool) ?? throw new ToolUnavailableException($"工具 {plan.Tool} 当前不可用");
            result = await tool.ExecuteAsync(plan, new ToolContext(state.Cluster, state.Namespace), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ToolUnavailableException or NodeOpsException)
        {
            // The tool could not run here (no kubeconfig for the cluster, the cluster gone, kubectl missing): that is
            // the tool's answer, so the model can tell the user why; the turn goes on.
            var suggestion = ex is ToolUnavailableException { Suggestion: { } s } ? s : null;
            LogToolUnavailable(logger, plan.Tool, state.Session.SessionId, ex.Message);
            await onEvent(new AgentToolFinished(callId, plan.Tool, plan.Command, -1, false, false, "not run: " + ex.Message, time.GetElapsedTime(toolStarted)), cancellationToken).ConfigureAwait(false);
            return ToolFailureForModel("The tool could not run", ex.Message, suggestion, null);
        }

        LogToolRun(logger, plan.Tool, state.Session.SessionId, result.ExitCode, result.Duration.TotalMilliseconds);
        await audit.RecordAsync(new ExecutedCommand(
            state.Session.SessionId, state.Session.Owner, state.Turn.Caller.DisplayName, approvedBy, actionId, plan.Tool, plan.Command,
            plan.Safety, state.Cluster, result.ExitCode, result.TimedOut, time.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
        await onEvent(new AgentToolFinished(callId, plan.Tool, plan.Command, result.ExitCode, result.TimedOut, result.Truncated, result.Summary(), result.Duration), cancellationToken).ConfigureAwait(false);
        if (KubectlFailures.Check(plan, result) is { } failure)
        {
            // RBAC refusals, an unreachable API server or rejected credentials: not the model's to fix by retrying,
            // but its to explain, so it gets the failure as the tool's result and the turn is not aborted.
            LogKubernetesFailure(logger, plan.Tool, state.Session.SessionId, failure.Code ?? "", result.ExitCode);
            return ToolFailureForModel(failure.Title ?? failure.Message, failure.Code, failure.Context?.GetValueOrDefault("suggestion") as string, result);
        }

        return result.ForModel();
    }

    private static string ToolFailureForModel(string what, string? reason, string? suggestion, ToolRunResult? result)
    {
        var text = new StringBuilder();
        if (result is not null)
        {
            text.Append(result.ForModel()).Append('\n');
        }

        text.Append("[NodeOps: ").Append(what);
        if (!string.IsNullOrEmpty(reason))
        {
            text.Append(" (").Append(reason).Append(')');
        }

        text.Append(". Retrying will not fix this now; explain it to the user");
        if (!string.IsNullOrEmpty(suggestion))
        {
            text.Append(" and suggest: ").Append(suggestion);
        }

        return text.Append(".]").ToString();
    }

    private async Task RefuseAsync(TurnState state, AgentToolCall call, string command, string reason, Func<AgentEvent, CancellationToken, ValueTask> onEvent, CancellationToken cancellationToken)
    {
        await onEvent(new AgentToolRefused(call.Id, call.Name, command, reason), cancellationToken).ConfigureAwait(false);
        state.Appended.Add(AgentMessage.ToolResult(call.Id, $"REFUSED, the command was not executed: {reason}"));
    }

    private async Task<LlmCompletion> CallModelAsync(TurnState state, List<AgentMessage> history, Func<AgentEvent, CancellationToken, ValueTask> onEvent, CancellationToken cancellationToken)
    {
        var messages = ContextWindow.Fit(SystemPrompt(state), [.. history, .. state.Appended], state.Model.ContextLength, _options.ReservedOutputTokens);
        var request = new LlmRequest(state.Provider, state.Model, messages, state.Tools.Values.Select(t => t.Definition).ToList());
        LlmCompletion? completion = null;
        try
        {
            if (state.Turn.Stream)
            {
                var separated = false;
                await foreach (var update in llm.StreamAsync(request, cancellationToken).ConfigureAwait(false))
                {
                    if (update.TextDelta is { } delta)
                    {
                        if (!separated && state.Response.Length > 0)
                        {
                            separated = true;
                            await EmitTextAsync(state, "\n\n", onEvent, cancellationToken).ConfigureAwait(false);
                        }

                        separated = true;
                        await EmitTextAsync(state, delta, onEvent, cancellationToken).ConfigureAwait(false);
                    }

                    completion = update.Completion ?? completion;
                }
            }
            else
            {
                completion = await llm.CompleteAsync(request, cancellationToken).ConfigureAwait(false);
                if (completion.Content.Length > 0)
                {
                    await EmitTextAsync(state, state.Response.Length > 0 ? "\n\n" + completion.Content : completion.Content, onEvent, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (LlmException ex)
        {
            metrics.RecordLlmCall(null, time.GetUtcNow());
            throw Translate(ex);
        }

        completion ??= new LlmCompletion("", [], null, null);
        metrics.RecordLlmCall(completion.Usage, time.GetUtcNow());
        if (completion.Usage is { } usage)
        {
            state.PromptTokens += usage.PromptTokens;
            state.CompletionTokens += usage.CompletionTokens;
        }

        return completion;
    }

    private static async Task EmitTextAsync(TurnState state, string text, Func<AgentEvent, CancellationToken, ValueTask> onEvent, CancellationToken cancellationToken)
    {
        state.Response.Append(text);
        await onEvent(new AgentDelta(text), cancellationToken).ConfigureAwait(false);
    }

    private AgentMessage SystemPrompt(TurnState state)
    {
        var text = new StringBuilder();
        text.Append("You are the NodeOps assistant, an operator's agent for Kubernetes clusters. ");
        text.Append("Use the kubectl tool to look at the cluster instead of guessing, keep commands specific (namespaces, names, selectors), ");
        text.Append("and answer concisely in the user's language, quoting the facts you found.\n");
        text.Append(_options.AllowWrites && state.Turn.Caller.MayApproveWrites
            ? "Commands that change the cluster pause until the user approves them; propose one change at a time and say why.\n"
            : "Mode: read-only. Commands that change the cluster are refused; tell the user what command would do it instead.\n");
        foreach (var notice in _toolSources.SelectMany(s => s.Notices))
        {
            text.Append(notice).Append('\n');
        }

        text.Append("Cluster: ").Append(state.Cluster ?? "(default)").Append(". Namespace: ").Append(state.Namespace ?? "(from kubeconfig)").Append(".\n");
        foreach (var (key, value) in state.Turn.Context.Where(kv => kv.Key is not ("cluster" or "namespace")).Take(20))
        {
            text.Append("Context ").Append(key).Append(": ").Append(value.Length > 200 ? value[..200] : value).Append('\n');
        }

        text.Append("Current time: ").Append(time.GetUtcNow().ToString("u", CultureInfo.InvariantCulture)).Append('.');
        return AgentMessage.System(text.ToString());
    }

    private ChatSession Finish(TurnState state, PendingAction? pending)
    {
        var firstQuery = state.Turn.Query ?? "";
        return state.Session with
        {
            Title = state.Session.Title.Length > 0 ? state.Session.Title : firstQuery.Length > 80 ? firstQuery[..80] : firstQuery,
            Turns = state.Session.Turns + (state.Turn.Approval is null ? 1 : 0),
            TotalTokens = state.Session.TotalTokens + state.PromptTokens + state.CompletionTokens,
            Provider = state.Provider.Name,
            Model = state.Model.Id,
            Cluster = state.Cluster,
            Namespace = state.Namespace,
            Pending = pending,
        };
    }

    private AgentResult Result(TurnState state, string status, long started, PendingAction? pending) => new(
        state.Response.ToString(),
        state.Session.SessionId,
        status,
        time.GetElapsedTime(started),
        [.. state.ToolsUsed],
        state.Provider.Name,
        state.Model.Id,
        state.PromptTokens,
        state.CompletionTokens,
        state.Iteration,
        state.ToolCalls,
        state.StoppedReason,
        pending is null ? null : new PendingActionView(pending.ActionId, pending.Tool, pending.Command, pending.RequestedAt));

    private static NodeOpsException NoProvider() =>
        new(ErrorKind.Unavailable, "LLM服务暂时不可用", code: "LLM_UNAVAILABLE")
        {
            Title = "LLM服务暂时不可用",
            Context = new Dictionary<string, object?>
            {
                ["provider"] = null,
                ["reason"] = "not_configured",
                ["message"] = "没有配置任何 LLM 提供方",
                ["suggestion"] = LlmProviderCatalog.HowToConfigure,
            },
        };

    private static NodeOpsException Translate(LlmException ex) => ex.Failure switch
    {
        LlmFailure.RateLimited => new NodeOpsException(ErrorKind.TooManyRequests, ex.Message, code: "RATE_LIMITED")
        {
            Title = "请求过于频繁",
            RetryAfterSeconds = ex.RetryAfterSeconds ?? 5,
            Context = new Dictionary<string, object?> { ["provider"] = ex.Provider, ["suggestion"] = "LLM 提供方限流，请稍后重试" },
        },
        LlmFailure.InvalidKey => new NodeOpsException(ErrorKind.Unavailable, ex.Message, code: "LLM_UNAVAILABLE")
        {
            Title = "LLM服务暂时不可用",
            Context = new Dictionary<string, object?>
            {
                ["provider"] = ex.Provider,
                ["reason"] = "invalid_api_key",
                ["suggestion"] = $"检查 {ex.Provider} 的 API Key（Assistant:Providers:{ex.Provider}:ApiKey 或对应环境变量）是否正确、未过期",
            },
        },
        _ => new NodeOpsException(ErrorKind.Unavailable, ex.Message, code: "LLM_UNAVAILABLE")
        {
            Title = "LLM服务暂时不可用",
            Context = new Dictionary<string, object?>
            {
                ["provider"] = ex.Provider,
                ["reason"] = ex.Failure == LlmFailure.Rejected ? "rejected" : "unavailable",
                ["suggestion"] = "请检查API密钥和网络连接，稍后重试",
            },
        },
    };

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Tool {Tool} ran for session {SessionId}: exit {ExitCode} in {DurationMs} ms")]
    private static partial void LogToolRun(ILogger logger, string tool, string sessionId, int exitCode, double durationMs);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Tool {Tool} could not run for session {SessionId}: {Reason}")]
    private static partial void LogToolUnavailable(ILogger logger, string tool, string sessionId, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Tool {Tool} hit a Kubernetes failure for session {SessionId}: {Code}, exit {ExitCode}")]
    private static partial void LogKubernetesFailure(ILogger logger, string tool, string sessionId, string code, int exitCode);

    /// <summary>The mutable state of one turn.</summary>
    private sealed class TurnState(AgentTurn turn, ChatSession session, LlmProvider provider, LlmModel model, Dictionary<string, IAssistantTool> tools)
    {
        public AgentTurn Turn { get; } = turn;

        /// <summary>The tools of this turn, fixed when it starts so the model sees one consistent list.</summary>
        public Dictionary<string, IAssistantTool> Tools { get; } = tools;

        public ChatSession Session { get; set; } = session;

        public LlmProvider Provider { get; } = provider;

        public LlmModel Model { get; } = model;

        public string? Cluster { get; set; } = turn.Context.GetValueOrDefault("cluster") is { Length: > 0 } c ? c : null;

        public string? Namespace { get; set; } = turn.Context.GetValueOrDefault("namespace") is { Length: > 0 } n ? n : null;

        public List<AgentMessage> Appended { get; } = [];

        public StringBuilder Response { get; } = new();

        public HashSet<string> ToolsUsed { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> CallCounts { get; } = new(StringComparer.Ordinal);

        public int Iteration { get; set; }

        public int ToolCalls { get; set; }

        public int PromptTokens { get; set; }

        public int CompletionTokens { get; set; }

        public string? StoppedReason { get; set; }
    }
}
