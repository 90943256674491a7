namespace NodeOps.Kubernetes.Nodes;

/// <summary>One progress report of a node operation, for the workflow step's live progress.</summary>
/// <param name="Stage">"cordon", "uncordon", "filter", "evict", "blocked", "wait", "drained", "wait_ready".</param>
/// <param name="BlockingBudgets">PodDisruptionBudgets that refused an eviction in this round.</param>
public sealed record NodeProgress(
    string Node,
    string Stage,
    string Message,
    int Evicted = 0,
    int Remaining = 0,
    IReadOnlyList<string>? BlockingBudgets = null);
