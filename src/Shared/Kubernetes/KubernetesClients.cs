using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Clusters;

namespace NodeOps.Kubernetes;

/// <summary>
/// The cache of KubernetesClient instances: one per cluster and kubeconfig version (a digest of the kubeconfig text,
/// so an updated kubeconfig gets a fresh client and the old one is disposed once its callers are done).
/// </summary>
internal sealed class KubernetesClients(IServiceProvider services) : IKubernetesClients, IDisposable
{
    /// <summary>Per request; the library's own default (100 s) is longer than any NodeOps caller waits.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, KubernetesConnection> _connections = new(StringComparer.Ordinal);
    private bool _disposed;

    public async Task<IKubernetesApi?> OpenAsync(string? clusterName, CancellationToken cancellationToken = default)
    {
        var source = services.GetService<IKubeconfigSource>();
        var kubeconfig = source is null ? null : await source.GetKubeconfigAsync(clusterName, cancellationToken).ConfigureAwait(false);
        return kubeconfig is null ? null : Open(clusterName, kubeconfig);
    }

    public IKubernetesApi Open(string? clusterName, string kubeconfig)
    {
        ArgumentNullException.ThrowIfNull(kubeconfig);
        var key = clusterName ?? "";
        var version = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(kubeconfig)));
        while (true)
        {
            KubernetesConnection? current;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _connections.TryGetValue(key, out current);
            }

            if (current is not null && current.Version == version && current.TryAcquire())
            {
                return new KubernetesApi(current);
            }

            // Built outside the lock: parsing and loading certificates must not hold up other clusters.
            var fresh = Build(kubeconfig, version);
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _connections.TryGetValue(key, out var now);
                if (now is not null && now != current && now.Version == version)
                {
                    // Another caller built the same version meanwhile: keep theirs, drop ours.
                    fresh.Retire();
                    continue;
                }

                now?.Retire();
                _connections[key] = fresh;
                fresh.TryAcquire();
                return new KubernetesApi(fresh);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var connection in _connections.Values)
            {
                connection.Retire();
            }

            _connections.Clear();
        }
    }

    private static KubernetesConnection Build(string kubeconfig, string version)
    {
        var target = Kubeconfig.Resolve(kubeconfig);
        target.Configuration.HttpClientTimeout = RequestTimeout;
        k8s.Kubernetes client;
        try
        {
            client = new k8s.Kubernetes(target.Configuration);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or System.Security.Cryptography.CryptographicException or FormatException or ArgumentException)
        {
            throw new KubeconfigException($"Context '{target.ContextName}' cannot be turned into a Kubernetes client ({ex.GetType().Name}).", ex);
        }

        KubernetesTls.RequireServerName(client, target.Configuration);
        return new KubernetesConnection(target, client, version);
    }
}
