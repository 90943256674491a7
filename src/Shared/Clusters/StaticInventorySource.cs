namespace NodeOps.Clusters;

/// <summary>Finds nodes in the cluster's static inventory, the first source the resolver asks.</summary>
internal sealed class StaticInventorySource(ClusterService clusters) : INodeAddressSource
{
    public async Task<IReadOnlyDictionary<string, ResolvedNode>> FindAsync(string clusterName, IReadOnlyCollection<string> nodeNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeNames);
        var inventory = await clusters.FindNodesAsync(clusterName, cancellationToken).ConfigureAwait(false) ?? [];
        var wanted = nodeNames.ToHashSet(StringComparer.Ordinal);
        return inventory
            .Where(n => wanted.Contains(n.Name))
            .ToDictionary(n => n.Name, n => new ResolvedNode(n.Name, n.Address, n.Port, n.Labels), StringComparer.Ordinal);
    }
}
