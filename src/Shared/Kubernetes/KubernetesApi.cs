using k8s;
using k8s.Models;

namespace NodeOps.Kubernetes;

/// <summary>A leased handle on a shared KubernetesClient; every call goes through <see cref="KubernetesCalls"/> for one error shape.</summary>
internal sealed partial class KubernetesApi(KubernetesConnection connection) : IKubernetesApi
{
    private int _released;

    /// <summary>The shared client this handle leases (tests check the cache through it).</summary>
    internal KubernetesConnection Connection => connection;

    public string ContextName => connection.Target.ContextName;

    public string ClusterName => connection.Target.ClusterName;

    public string Namespace => connection.Target.Namespace ?? "default";

    private k8s.Kubernetes Client => _released == 0 ? connection.Client : throw new ObjectDisposedException(nameof(KubernetesApi));

    private string Server => connection.Target.Configuration.Host;

    public Task<KubernetesVersion> GetVersionAsync(CancellationToken cancellationToken = default) =>
        KubernetesCalls.RunAsync(Server, async () =>
        {
            var info = await Client.Version.GetCodeAsync(cancellationToken).ConfigureAwait(false);
            return new KubernetesVersion(info.Major ?? "", info.Minor ?? "", info.GitVersion ?? "", info.Platform ?? "");
        }, cancellationToken);

    public Task<IReadOnlyList<KubernetesNode>> ListNodesAsync(string? labelSelector = null, CancellationToken cancellationToken = default) =>
        KubernetesCalls.RunAsync(Server, async () =>
        {
            var nodes = new List<KubernetesNode>();
            string? next = null;
            do
            {
                var page = await Client.CoreV1.ListNodeAsync(labelSelector: labelSelector, limit: PageSize, continueParameter: next, cancellationToken: cancellationToken).ConfigureAwait(false);
                nodes.AddRange(page.Items.Select(KubernetesModels.ToNode));
                next = page.Metadata?.ContinueProperty;
            }
            while (!string.IsNullOrEmpty(next));
            return (IReadOnlyList<KubernetesNode>)nodes;
        }, cancellationToken);

    public Task<KubernetesNode?> GetNodeAsync(string name, CancellationToken cancellationToken = default) =>
        KubernetesCalls.RunAsync(Server, async () =>
        {
            var node = await KubernetesCalls.OrNullWhenNotFoundAsync(() => Client.CoreV1.ReadNodeAsync(name, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return node is null ? null : KubernetesModels.ToNode(node);
        }, cancellationToken);

    public Task SetUnschedulableAsync(string nodeName, bool unschedulable, CancellationToken cancellationToken = default) =>
        KubernetesCalls.RunAsync(Server, async () =>
        {
            // The same body kubectl cordon / uncordon send; null removes the field, as uncordon leaves it.
            var body = unschedulable ? "{\"spec\":{\"unschedulable\":true}}" : "{\"spec\":{\"unschedulable\":null}}";
            return await Client.CoreV1.PatchNodeAsync(new V1Patch(body, V1Patch.PatchType.StrategicMergePatch), nodeName, cancellationToken: cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<IReadOnlyList<KubernetesPod>> ListPodsOnNodeAsync(string nodeName, CancellationToken cancellationToken = default) =>
        KubernetesCalls.RunAsync(Server, async () =>
        {
            var pods = new List<KubernetesPod>();
            string? next = null;
            do
            {
                var page = await Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={nodeName}", limit: PageSize, continueParameter: next, cancellationToken: cancellationToken).ConfigureAwait(false);
                pods.AddRange(page.Items.Select(KubernetesModels.ToPod));
                next = page.Metadata?.ContinueProperty;
            }
            while (!string.IsNullOrEmpty(next));
            return (IReadOnlyList<KubernetesPod>)pods;
        }, cancellationToken);

    public Task<EvictionOutcome> EvictPodAsync(KubernetesPod pod, long? gracePeriodSeconds = null, CancellationToken cancellationToken = default) =>
        KubernetesCalls.RunAsync(Server, async () =>
        {
            ArgumentNullException.ThrowIfNull(pod);
            var eviction = new V1Eviction
            {
                ApiVersion = "policy/v1",
                Kind = "Eviction",
                Metadata = new V1ObjectMeta { Name = pod.Name, NamespaceProperty = pod.Namespace },
                DeleteOptions = gracePeriodSeconds is null ? null : new V1DeleteOptions { GracePeriodSeconds = gracePeriodSeconds },
            };
            try
            {
                await Client.CoreV1.CreateNamespacedPodEvictionAsync(eviction, pod.Name, pod.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                return new EvictionOutcome(EvictionStatus.Evicted);
            }
            catch (k8s.Autorest.HttpOperationException ex) when (ex.Response?.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return new EvictionOutcome(EvictionStatus.Gone);
            }
            catch (k8s.Autorest.HttpOperationException ex) when ((int?)ex.Response?.StatusCode == 429)
            {
                var refusal = KubernetesCalls.Failure(ex);
                var budget = DisruptionBudgets.FromCauses(refusal.Causes)
                    ?? await DisruptionBudgets.FindAsync(Client, pod, cancellationToken).ConfigureAwait(false);
                return new EvictionOutcome(EvictionStatus.Blocked, budget, refusal.Message);
            }
        }, cancellationToken);

    public Task<EvictionOutcome> DeletePodAsync(KubernetesPod pod, long? gracePeriodSeconds = null, CancellationToken cancellationToken = default) =>
        KubernetesCalls.RunAsync(Server, async () =>
        {
            ArgumentNullException.ThrowIfNull(pod);
            var deleted = await KubernetesCalls.OrNullWhenNotFoundAsync(() => Client.CoreV1.DeleteNamespacedPodAsync(
                pod.Name, pod.Namespace, new V1DeleteOptions { GracePeriodSeconds = gracePeriodSeconds }, gracePeriodSeconds: (int?)gracePeriodSeconds, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new EvictionOutcome(deleted is null ? EvictionStatus.Gone : EvictionStatus.Evicted);
        }, cancellationToken);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            connection.Release();
        }
    }

    /// <summary>Items per list request; large clusters page with continue tokens instead of one huge answer.</summary>
    private const int PageSize = 500;
}
