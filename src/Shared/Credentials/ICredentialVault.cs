namespace NodeOps.Credentials;

public enum CredentialAuthType
{
    Password,
    PrivateKey,
}

/// <summary>
/// A decrypted credential, held in memory only for the run that needs it. Never serialized, logged or returned:
/// <see cref="ToString"/> hides the secrets.
/// </summary>
public sealed record SshCredential(long Id, string Name, string Username, CredentialAuthType AuthType, int Port, string? Password, string? PrivateKey, string? Passphrase)
{
    public override string ToString() => $"SshCredential {{ Id = {Id}, Name = {Name}, Username = {Username}, AuthType = {AuthType} }}";
}

public interface ICredentialVault
{
    /// <summary>The decrypted credential; throws a not-found error naming the id when there is none.</summary>
    Task<SshCredential> GetDecryptedAsync(long id, CancellationToken cancellationToken = default);
}
