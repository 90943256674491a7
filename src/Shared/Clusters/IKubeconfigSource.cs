namespace NodeOps.Clusters;

/// <summary>The decrypted kubeconfig of a registered cluster, for the kubectl tool and the Kubernetes client.</summary>
public interface IKubeconfigSource
{
    /// <summary>The named cluster's kubeconfig, or the default cluster's when the name is null; null when it has none.</summary>
    Task<string?> GetKubeconfigAsync(string? clusterName, CancellationToken cancellationToken = default);
}
