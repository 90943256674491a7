namespace NodeOps.Kubernetes;

/// <summary>What one eviction (or delete) request came to.</summary>
public enum EvictionStatus
{
    /// <summary>The server accepted it; the pod is terminating.</summary>
    Evicted,

    /// <summary>404: the pod is already gone, which is what we wanted.</summary>
    Gone,

    /// <summary>429: a PodDisruptionBudget allows no more disruptions now.</summary>
    Blocked,
}

/// <param name="Budget">With <see cref="EvictionStatus.Blocked"/>: the PodDisruptionBudget that blocks, when it can be told.</param>
public sealed record EvictionOutcome(EvictionStatus Status, string? Budget = null, string? Message = null);
