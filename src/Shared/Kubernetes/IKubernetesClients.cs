namespace NodeOps.Kubernetes;

/// <summary>Hands out <see cref="IKubernetesApi"/> handles built from registered clusters' kubeconfigs, one client per cluster and kubeconfig version.</summary>
public interface IKubernetesClients
{
    /// <summary>A handle on the named cluster (the default cluster when null); null when that cluster has no kubeconfig.</summary>
    Task<IKubernetesApi?> OpenAsync(string? clusterName, CancellationToken cancellationToken = default);

    /// <summary>A handle built from a kubeconfig the caller already holds; <paramref name="clusterName"/> keys the cache (null: the default cluster).</summary>
    IKubernetesApi Open(string? clusterName, string kubeconfig);
}
