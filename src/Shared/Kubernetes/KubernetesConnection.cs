namespace NodeOps.Kubernetes;

/// <summary>
/// One KubernetesClient instance shared by every handle on the same cluster and kubeconfig version. Handles lease it;
/// once the cache replaces it (the kubeconfig changed) it is retired and disposed when the last lease ends, so a call
/// in flight is never cut off by a replacement.
/// </summary>
internal sealed class KubernetesConnection(KubeconfigTarget target, k8s.Kubernetes client, string version)
{
    private readonly Lock _lock = new();
    private int _leases;
    private bool _retired;
    private bool _disposed;

    public KubeconfigTarget Target { get; } = target;

    public k8s.Kubernetes Client { get; } = client;

    /// <summary>A digest of the kubeconfig text the client was built from.</summary>
    public string Version { get; } = version;

    public bool IsDisposed
    {
        get
        {
            lock (_lock)
            {
                return _disposed;
            }
        }
    }

    /// <summary>Takes a lease; false once the connection is retired (the caller then builds a fresh one).</summary>
    public bool TryAcquire()
    {
        lock (_lock)
        {
            if (_retired)
            {
                return false;
            }

            _leases++;
            return true;
        }
    }

    public void Release()
    {
        lock (_lock)
        {
            _leases--;
            DisposeIfIdle();
        }
    }

    /// <summary>No new leases; the client is disposed now if idle, else when the last lease is released.</summary>
    public void Retire()
    {
        lock (_lock)
        {
            _retired = true;
            DisposeIfIdle();
        }
    }

    private void DisposeIfIdle()
    {
        if (_retired && _leases == 0 && !_disposed)
        {
            _disposed = true;
            Client.Dispose();
        }
    }
}
