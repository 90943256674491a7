namespace NodeOps.Clusters;

/// <summary>A cluster as the API shows it. The kubeconfig is a secret: only <see cref="HasKubeconfig"/> is shown.</summary>
public sealed record Cluster(
    string Name,
    string? Description,
    bool IsDefault,
    long? DefaultCredentialId,
    bool HasKubeconfig,
    int NodeCount,
    IReadOnlyList<ClusterNode>? Nodes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string CreatedBy,
    string UpdatedBy);
