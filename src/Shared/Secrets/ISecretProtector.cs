namespace NodeOps.Secrets;

/// <summary>
/// Encrypts secrets for storage. The purpose is bound into the ciphertext, so a value protected for one use
/// (say an SSH password) cannot be replayed as another (say a kubeconfig).
/// </summary>
public interface ISecretProtector
{
    string Protect(string plaintext, string purpose);

    /// <summary>Throws <see cref="System.Security.Cryptography.CryptographicException"/> for tampered or foreign ciphertext.</summary>
    string Unprotect(string protectedText, string purpose);
}
