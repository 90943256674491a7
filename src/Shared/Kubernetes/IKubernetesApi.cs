namespace NodeOps.Kubernetes;

/// <summary>
/// What NodeOps asks one cluster's API server, through KubernetesClient. A handle from <see cref="IKubernetesClients"/>:
/// disposing it releases the handle, not the shared client underneath. Failures surface as <see cref="KubernetesApiException"/>.
/// </summary>
public interface IKubernetesApi : IDisposable
{
    /// <summary>The kubeconfig context the handle talks through.</summary>
    string ContextName { get; }

    /// <summary>The cluster entry of the kubeconfig that context names.</summary>
    string ClusterName { get; }

    /// <summary>The context's namespace, or "default" when it names none (as kubectl does).</summary>
    string Namespace { get; }

    Task<KubernetesVersion> GetVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>Every node, optionally narrowed by a label selector ("node-role.kubernetes.io/worker").</summary>
    Task<IReadOnlyList<KubernetesNode>> ListNodesAsync(string? labelSelector = null, CancellationToken cancellationToken = default);

    /// <summary>One node by name; null when the cluster has no such node.</summary>
    Task<KubernetesNode?> GetNodeAsync(string name, CancellationToken cancellationToken = default);
}
