namespace NodeOps.Assistant;

/// <summary>Something the agent did during a turn, in order; the stream sends each as a frame.</summary>
public abstract record AgentEvent;

/// <summary>Text from the model, as it arrived.</summary>
public sealed record AgentDelta(string Text) : AgentEvent;

public sealed record AgentToolStarted(string CallId, string Tool, string Command, CommandSafety Safety) : AgentEvent;

public sealed record AgentToolFinished(string CallId, string Tool, string Command, int ExitCode, bool TimedOut, bool Truncated, string Summary, TimeSpan Duration) : AgentEvent;

/// <summary>A call that did not run: refused by policy, read-only mode, the repeat guard, or the user's denial.</summary>
public sealed record AgentToolRefused(string CallId, string Tool, string Command, string Reason) : AgentEvent;

public sealed record AgentApprovalRequired(string ActionId, string Tool, string Command) : AgentEvent;

/// <summary>Who is talking to the agent: the session owner key, a display name, and whether the role may approve writes.</summary>
public sealed record AgentCaller(string Owner, string DisplayName, bool MayApproveWrites);

public sealed record ApprovalDecision(string ActionId, bool Approve);

/// <summary>One request to the agent: a new query, or the decision on a pending action.</summary>
public sealed record AgentTurn(AgentCaller Caller, string SessionId, string? Query, IReadOnlyDictionary<string, string> Context, ApprovalDecision? Approval, bool Stream);

/// <summary>The pending action as the API shows it.</summary>
public sealed record PendingActionView(string ActionId, string Tool, string Command, DateTimeOffset RequestedAt);

/// <summary>How a turn ended; the figures are measured, not estimated (tokens are the provider's own counts).</summary>
public sealed record AgentResult(
    string Response,
    string SessionId,
    string Status,
    TimeSpan ExecutionTime,
    IReadOnlyList<string> ToolsUsed,
    string Provider,
    string Model,
    int PromptTokens,
    int CompletionTokens,
    int Iterations,
    int ToolCalls,
    string? StoppedReason,
    PendingActionView? Pending);
