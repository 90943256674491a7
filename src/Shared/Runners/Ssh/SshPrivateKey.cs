using System.Text;
using Renci.SshNet;

namespace NodeOps.Runners.Ssh;

/// <summary>
/// The one way NodeOps reads a private key: with SSH.NET, the client that logs in with it, in process. OpenSSH, PEM and
/// PKCS#8 keys (RSA, ECDSA, Ed25519), with or without a passphrase; the passphrase never leaves the process.
/// </summary>
internal static class SshPrivateKey
{
    /// <summary>The key with normalised line ends and one final newline, as key files expect it.</summary>
    public static string Normalize(string privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        return privateKey.Replace("\r\n", "\n", StringComparison.Ordinal).Trim() + "\n";
    }

    /// <exception cref="Renci.SshNet.Common.SshPassPhraseNullOrEmptyException">The key is encrypted and no passphrase was given.</exception>
    /// <remarks>Other failures (bad format, wrong passphrase) surface as the library's exceptions, whose messages may quote key material.</remarks>
    public static PrivateKeyFile Load(string privateKey, string? passphrase)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Normalize(privateKey)));
        return new PrivateKeyFile(stream, string.IsNullOrEmpty(passphrase) ? null : passphrase);
    }

    /// <summary>The public key in known_hosts form: the type named in its blob ("ssh-ed25519") and the base64 blob.</summary>
    public static (string KeyType, string PublicKey) PublicKeyOf(PrivateKeyFile key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var blob = key.HostKeyAlgorithms.First().Data;
        return (HostKeyCheck.KeyTypeOf(blob), Convert.ToBase64String(blob));
    }

    /// <summary>
    /// Whether a failure to load a key means "this key cannot be read". Parsing is pure, in-process work on the caller's
    /// text, and the library and the parsers under it (ASN.1, BouncyCastle) throw many kinds for bad input or a wrong
    /// passphrase, so everything but cancellation and exhaustion counts.
    /// </summary>
    public static bool IsUnreadable(Exception ex) => ex is not (OperationCanceledException or OutOfMemoryException);
}
