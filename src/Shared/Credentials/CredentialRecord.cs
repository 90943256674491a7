namespace NodeOps.Credentials;

/// <summary>The stored document of a credential. The encrypted secrets are separate properties of the same row.</summary>
internal sealed record CredentialRecord(
    long Id,
    string Name,
    string? Description,
    string Username,
    CredentialAuthType AuthType,
    int Port,
    string? ClusterName,
    string? NodePattern,
    bool IsDefault,
    bool HasPassphrase,
    string? KeyType,
    string? KeyFingerprint,
    string? PublicKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string CreatedBy,
    string UpdatedBy)
{
    public Credential ToView(bool hasSecret) => new(
        Id, Name, Description, Username, AuthType, Port, ClusterName, NodePattern, IsDefault, hasSecret, HasPassphrase,
        KeyType, KeyFingerprint, PublicKey, CreatedAt, UpdatedAt, CreatedBy, UpdatedBy);
}
