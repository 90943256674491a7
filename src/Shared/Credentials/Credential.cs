namespace NodeOps.Credentials;

/// <summary>
/// A credential as the API shows it: never its secret, only whether it has one. For private keys the public half
/// and its fingerprint are shown, so an admin can check which key is authorised on a node.
/// </summary>
public sealed record Credential(
    long Id,
    string Name,
    string? Description,
    string Username,
    CredentialAuthType AuthType,
    int Port,
    string? ClusterName,
    string? NodePattern,
    bool IsDefault,
    bool HasSecret,
    bool HasPassphrase,
    string? KeyType,
    string? KeyFingerprint,
    string? PublicKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string CreatedBy,
    string UpdatedBy);
