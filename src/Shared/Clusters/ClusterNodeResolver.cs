using NodeOps.Catalog;
using NodeOps.Errors;

namespace NodeOps.Clusters;

/// <summary>
/// Resolves target node names through the registered <see cref="INodeAddressSource"/>s in order (static inventory
/// first), so resolving through the Kubernetes API can be added as one more source. Every name that no source knows
/// is listed in one error.
/// </summary>
internal sealed class ClusterNodeResolver(ClusterService clusters, IEnumerable<INodeAddressSource> sources) : INodeResolver
{
    public const int MaxTargets = ClusterService.MaxNodes;

    public async Task<IReadOnlyList<ResolvedNode>> ResolveAsync(string clusterName, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeNames);
        ClusterService.EnsureName(clusterName, "cluster_name");
        if (!await clusters.ExistsAsync(clusterName, cancellationToken).ConfigureAwait(false))
        {
            throw NodeOpsException.NotFound($"集群 {clusterName} 不存在");
        }

        if (nodeNames.Count > MaxTargets)
        {
            throw NodeOpsException.Invalid("target_nodes", $"target_nodes 最多 {MaxTargets} 个");
        }

        var invalid = nodeNames.Where(n => !ClusterNames.IsValidNodeName(n)).Select(n => CatalogRules.Printable(n ?? "")).ToList();
        if (invalid.Count > 0)
        {
            throw NodeOpsException.Invalid("target_nodes", $"节点名无效: {string.Join(", ", invalid)} ({ClusterNames.NodeNameRule})");
        }

        var duplicates = nodeNames.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw NodeOpsException.Invalid("target_nodes", $"节点重复: {string.Join(", ", duplicates)}");
        }

        var found = new Dictionary<string, ResolvedNode>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var pending = nodeNames.Where(n => !found.ContainsKey(n)).ToList();
            if (pending.Count == 0)
            {
                break;
            }

            foreach (var (name, node) in await source.FindAsync(clusterName, pending, cancellationToken).ConfigureAwait(false))
            {
                found.TryAdd(name, node);
            }
        }

        var unknown = nodeNames.Where(n => !found.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new NodeOpsException(ErrorKind.Validation, $"集群 {clusterName} 中不存在以下节点: {string.Join(", ", unknown)}", "target_nodes", "UNKNOWN_NODES")
            {
                Context = new Dictionary<string, object?> { ["unknown_nodes"] = unknown },
            };
        }

        return nodeNames.Select(n => found[n]).ToList();
    }
}
