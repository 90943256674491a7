namespace NodeOps.Kubernetes.Nodes;

/// <summary>Finds the Kubernetes node behind each NodeOps target: by name first, then by InternalIP (inventories often name nodes by address).</summary>
public static class NodeMatcher
{
    /// <returns>For each target name, its Kubernetes node, or null when neither its name nor its address matches one.</returns>
    public static async Task<IReadOnlyDictionary<string, KubernetesNode?>> MatchAsync(
        IKubernetesApi api, IReadOnlyCollection<(string Name, string? Address)> targets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(targets);
        var nodes = await api.ListNodesAsync(null, cancellationToken).ConfigureAwait(false);
        var byName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var matches = new Dictionary<string, KubernetesNode?>(StringComparer.Ordinal);
        foreach (var (name, address) in targets)
        {
            matches[name] = byName.TryGetValue(name, out var named) ? named
                : address is null ? null
                : nodes.FirstOrDefault(n => n.InternalIps.Contains(address, StringComparer.Ordinal));
        }

        return matches;
    }
}
