namespace NodeOps.Kubernetes.Nodes;

/// <summary>How waiting for a node ended: Ready, or the last Ready condition seen when the time ran out.</summary>
public sealed record ReadyResult(string Node, bool Ready, string LastStatus, string? LastReason, string? BootId, TimeSpan Waited);
