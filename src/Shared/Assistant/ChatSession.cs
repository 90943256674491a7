namespace NodeOps.Assistant;

/// <summary>A write the agent proposed and is waiting on: the exact command, and what to do after the decision.</summary>
public sealed record PendingAction(
    string ActionId,
    string ToolCallId,
    string Tool,
    string Command,
    IReadOnlyList<string> Argv,
    IReadOnlyList<AgentToolCall> RemainingCalls,
    int Iteration,
    DateTimeOffset RequestedAt,
    string RequestedBy,
    string? Cluster,
    string? Namespace,
    IReadOnlyList<string> ToolsUsed,
    string ResponseSoFar);

/// <summary>A conversation's header: who owns it, how far it got, and what (if anything) waits for approval.</summary>
public sealed record ChatSession(
    string SessionId,
    string Owner,
    string OwnerName,
    string Title,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int MessageCount,
    int Turns,
    long TotalTokens,
    string? Provider,
    string? Model,
    string? Cluster,
    string? Namespace,
    PendingAction? Pending,
    DateTimeOffset? BusyUntil);
