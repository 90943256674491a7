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

    public static KubernetesPod ToPod(V1Pod pod)
    {
        var controller = pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        return new KubernetesPod(
            pod.Metadata?.NamespaceProperty ?? "",
            pod.Metadata?.Name ?? "",
            pod.Metadata?.Uid ?? "",
            pod.Spec?.NodeName,
            pod.Status?.Phase,
            pod.Metadata?.DeletionTimestamp is { } deleting ? new DateTimeOffset(DateTime.SpecifyKind(deleting, DateTimeKind.Utc)) : null,
            controller?.Kind,
            controller?.Name,
            pod.Metadata?.Annotations?.ContainsKey(MirrorAnnotation) == true,
            pod.Spec?.Volumes?.Any(v => v.EmptyDir is not null) == true,
            pod.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : new Dictionary<string, string>());
    }

    /// <summary>The kubelet marks the API copy of a static pod with this annotation; deleting the copy does nothing.</summary>
    private const string MirrorAnnotation = "kubernetes.io/config.mirror";
}
