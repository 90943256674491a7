namespace NodeOps.Kubernetes.Nodes;

/// <summary>A cordon, remembering whether the node was unschedulable already (then uncordon leaves it so).</summary>
public sealed record CordonResult(string Node, bool WasAlreadyUnschedulable);

/// <summary>An uncordon; <see cref="Uncordoned"/> is false when the node stays cordoned, and <see cref="Message"/> says why.</summary>
public sealed record UncordonResult(string Node, bool Uncordoned, string Message);
