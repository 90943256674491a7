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

    /// <summary>Sets or clears spec.unschedulable with a strategic merge patch, as kubectl cordon and uncordon do.</summary>
    Task SetUnschedulableAsync(string nodeName, bool unschedulable, CancellationToken cancellationToken = default);

    /// <summary>Every pod bound to the node, in all namespaces (field selector spec.nodeName, paged).</summary>
    Task<IReadOnlyList<KubernetesPod>> ListPodsOnNodeAsync(string nodeName, CancellationToken cancellationToken = default);

    /// <summary>Evicts through policy/v1 Eviction; a PodDisruptionBudget refusal is an outcome, not an error.</summary>
    /// <param name="gracePeriodSeconds">Overrides the pod's terminationGracePeriodSeconds; null keeps the pod's own.</param>
    Task<EvictionOutcome> EvictPodAsync(KubernetesPod pod, long? gracePeriodSeconds = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes the pod outright, bypassing disruption budgets; <see cref="EvictionStatus.Gone"/> when it was already gone.</summary>
    Task<EvictionOutcome> DeletePodAsync(KubernetesPod pod, long? gracePeriodSeconds = null, CancellationToken cancellationToken = default);
}
