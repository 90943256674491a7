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
