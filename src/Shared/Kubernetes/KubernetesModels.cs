using k8s.Models;

namespace NodeOps.Kubernetes;

/// <summary>Maps the library's models to the small records the port hands out.</summary>
internal static class KubernetesModels
{
    public static KubernetesNode ToNode(V1Node node)
    {
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        return new KubernetesNode(
            node.Metadata?.Name ?? "",
            node.Spec?.Unschedulable == true,
            ready?.Status ?? "Unknown",
            ready?.Reason,
            node.Status?.Addresses?.Where(a => a.Type == "InternalIP").Select(a => a.Address).ToList() ?? [],
            node.Status?.NodeInfo?.BootID,
            node.Status?.NodeInfo?.KubeletVersion);
    }
}
