namespace NodeOps.Credentials;

/// <summary>
/// A create or update request. On update, null fields keep their value; a new secret replaces the old one under the
/// same id (rotation). An empty <see cref="ClusterName"/> or <see cref="NodePattern"/> on update clears it.
/// </summary>
public sealed record CredentialInput(
    string? Name,
    string? Description,
    string? Username,
    CredentialAuthType? AuthType,
    string? Password,
    string? PrivateKey,
    string? Passphrase,
    int? Port,
    string? ClusterName,
    string? NodePattern,
    bool? IsDefault)
{
    /// <summary>Keeps secrets out of logs and exception messages should the record ever be printed.</summary>
    public override string ToString() => $"CredentialInput {{ Name = {Name}, Username = {Username}, AuthType = {AuthType} }}";
}
