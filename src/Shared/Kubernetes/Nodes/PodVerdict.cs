namespace NodeOps.Kubernetes.Nodes;

/// <summary>What a drain filter decides for one pod.</summary>
public enum PodVerdict
{
    /// <summary>Evict it (no filter objected).</summary>
    Evict,

    /// <summary>Leave it on the node and carry on (DaemonSet and mirror pods, pods long stuck deleting).</summary>
    Skip,

    /// <summary>Stop the drain before evicting anything: losing this pod needs an explicit option.</summary>
    Refuse,
}

/// <summary>A filter's verdict and, unless <see cref="PodVerdict.Evict"/>, why.</summary>
public sealed record PodFilterResult(KubernetesPod Pod, PodVerdict Verdict, string? Reason = null);
