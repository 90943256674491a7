namespace NodeOps.Clusters;

/// <summary>A node as the runners reach it.</summary>
public sealed record ResolvedNode(string Name, string Address, int Port, IReadOnlyDictionary<string, string> Labels);

/// <summary>Turns a cluster's node names into addresses.</summary>
public interface INodeResolver
{
    /// <summary>
    /// Resolves every name, in the order given. Throws a validation error (field "target_nodes") that lists every
    /// unknown name, and a not-found error when the cluster does not exist.
    /// </summary>
    Task<IReadOnlyList<ResolvedNode>> ResolveAsync(string clusterName, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken = default);
}
