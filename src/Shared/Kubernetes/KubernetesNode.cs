namespace NodeOps.Kubernetes;

/// <summary>A node as NodeOps needs it: schedulability, the Ready condition, addresses and the boot id.</summary>
public sealed record KubernetesNode(
    string Name,
    bool Unschedulable,
    string ReadyStatus,
    string? ReadyReason,
    IReadOnlyList<string> InternalIps,
    string? BootId,
    string? KubeletVersion)
{
    /// <summary>The Ready condition is "True"; "False" and "Unknown" (kubelet silent) are not ready.</summary>
    public bool Ready => ReadyStatus == "True";
}
