namespace NodeOps.Clusters;

/// <summary>
/// A create or update request. On update, null fields keep their value; <see cref="Kubeconfig"/> "" removes the
/// kubeconfig, <see cref="DefaultCredentialId"/> 0 removes the default credential, and <see cref="Nodes"/> replaces
/// the whole inventory.
/// </summary>
public sealed record ClusterInput(
    string? Name,
    string? Description,
    string? Kubeconfig,
    IReadOnlyList<ClusterNode>? Nodes,
    long? DefaultCredentialId,
    bool? IsDefault)
{
    /// <summary>Keeps the kubeconfig out of logs should the record ever be printed.</summary>
    public override string ToString() => $"ClusterInput {{ Name = {Name}, Nodes = {Nodes?.Count} }}";
}
