namespace NodeOps.Executions;

/// <summary>History filters, validated by the caller. <see cref="EndBefore"/> is exclusive.</summary>
public sealed record HistoryQuery(string Kind, string? ClusterName, ExecutionStatus? Status, DateTimeOffset? StartFrom, DateTimeOffset? EndBefore, int Skip, int Take);
