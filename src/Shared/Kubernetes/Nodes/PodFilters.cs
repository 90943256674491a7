namespace NodeOps.Kubernetes.Nodes;

/// <summary>
/// The drain filter chain, in kubectl drain's order (pkg/drain/filters.go): each filter is a small named function that
/// lets the pod through, skips it or refuses it with a reason; the first filter that does not let it through decides.
/// </summary>
public static class PodFilters
{
    private delegate PodFilterResult? Filter(KubernetesPod pod, DrainOptions options, DateTimeOffset now);

    private static readonly Filter[] Chain = [SkipLongDeleting, SkipDaemonSetManaged, SkipMirror, RefuseLocalStorage, RefuseUnmanaged];

    public static PodFilterResult Apply(KubernetesPod pod, DrainOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var filter in Chain)
        {
            if (filter(pod, options, now) is { } decided)
            {
                return decided;
            }
        }

        return new PodFilterResult(pod, PodVerdict.Evict);
    }

    /// <summary>A pod stuck terminating (a finalizer, a dead kubelet) would hold the drain forever.</summary>
    private static PodFilterResult? SkipLongDeleting(KubernetesPod pod, DrainOptions options, DateTimeOffset now) =>
        options.SkipDeletingLongerThan is { } limit && pod.DeletionTimestamp is { } since && now - since > limit
            ? new PodFilterResult(pod, PodVerdict.Skip, $"deleting for longer than {limit.TotalSeconds:0} s")
            : null;

    /// <summary>The DaemonSet controller ignores unschedulable and would recreate the pod at once.</summary>
    private static PodFilterResult? SkipDaemonSetManaged(KubernetesPod pod, DrainOptions options, DateTimeOffset now) =>
        pod.ControllerKind == "DaemonSet" ? new PodFilterResult(pod, PodVerdict.Skip, $"managed by DaemonSet {pod.ControllerName}") : null;

    /// <summary>A mirror pod is the API copy of a static pod; only the kubelet's manifest removes it.</summary>
    private static PodFilterResult? SkipMirror(KubernetesPod pod, DrainOptions options, DateTimeOffset now) =>
        pod.IsMirror ? new PodFilterResult(pod, PodVerdict.Skip, "mirror pod (static pod)") : null;

    private static PodFilterResult? RefuseLocalStorage(KubernetesPod pod, DrainOptions options, DateTimeOffset now) =>
        pod.HasEmptyDir && !pod.Finished && !options.DeleteEmptyDirData
            ? new PodFilterResult(pod, PodVerdict.Refuse, "has emptyDir data (set delete_emptydir_data to evict it)")
            : null;

    private static PodFilterResult? RefuseUnmanaged(KubernetesPod pod, DrainOptions options, DateTimeOffset now) =>
        pod.ControllerKind is null && !pod.Finished && !options.Force
            ? new PodFilterResult(pod, PodVerdict.Refuse, "not managed by a controller (set force to evict it)")
            : null;
}
