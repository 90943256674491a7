namespace NodeOps.Clusters;

/// <summary>
/// One way of finding node addresses. <see cref="ClusterNodeResolver"/> asks each source in turn for the names the
/// sources before it did not know: the static inventory first; a Kubernetes source (the node's InternalIP) can be
/// registered after it without touching the resolver.
/// </summary>
public interface INodeAddressSource
{
    /// <summary>The nodes among <paramref name="nodeNames"/> this source knows, by name; unknown names are left out.</summary>
    Task<IReadOnlyDictionary<string, ResolvedNode>> FindAsync(string clusterName, IReadOnlyCollection<string> nodeNames, CancellationToken cancellationToken = default);
}
