namespace NodeOps.Kubernetes.Nodes;

/// <summary>The options of a drain, named as kubectl drain and the workflow step name them.</summary>
public sealed record DrainOptions
{
    /// <summary>Evict pods no controller manages (they are not recreated anywhere): kubectl --force.</summary>
    public bool Force { get; init; }

    /// <summary>Evict pods with emptyDir volumes, losing that data: kubectl --delete-emptydir-data.</summary>
    public bool DeleteEmptyDirData { get; init; }

    /// <summary>Delete pods instead of evicting them, bypassing PodDisruptionBudgets. An opt-in, never a fallback.</summary>
    public bool DisableEviction { get; init; }

    /// <summary>Overrides each pod's terminationGracePeriodSeconds; null keeps the pod's own.</summary>
    public long? GracePeriodSeconds { get; init; }

    /// <summary>The whole drain, evictions and waiting included, must end within this.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Pods already deleting for longer than this are skipped (kubectl --skip-wait-for-delete-timeout); null never skips them.</summary>
    public TimeSpan? SkipDeletingLongerThan { get; init; }

    /// <summary>Evictions in flight at once.</summary>
    public int Parallelism { get; init; } = 10;

    /// <summary>The first wait after a PodDisruptionBudget refused; it doubles each round up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the node's pods are listed again while waiting for evicted pods to go.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
