namespace NodeOps.Kubernetes.Nodes;

/// <summary>How a drain ended. <see cref="Error"/> is null on success and names the refused pods or the blocking budgets otherwise.</summary>
public sealed record DrainResult(
    string Node,
    bool Succeeded,
    IReadOnlyList<string> Evicted,
    IReadOnlyList<PodFilterResult> Skipped,
    IReadOnlyList<PodFilterResult> Refused,
    IReadOnlyList<string> BlockingBudgets,
    string? Error);
