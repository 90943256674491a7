namespace NodeOps.Clusters;

/// <summary>
/// The stored head of a cluster. The node inventory and the encrypted kubeconfig can each exceed one table property,
/// so they live in their own rows (<see cref="Storage.LargeText"/>) under fresh prefixes named here.
/// </summary>
internal sealed record ClusterRecord(
    string Name,
    string? Description,
    bool IsDefault,
    long? DefaultCredentialId,
    int NodeCount,
    string? InventoryBlob,
    string? KubeconfigBlob,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string CreatedBy,
    string UpdatedBy);
