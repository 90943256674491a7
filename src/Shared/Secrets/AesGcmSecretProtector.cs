using System.Security.Cryptography;
using System.Text;

namespace NodeOps.Secrets;

/// <summary>
/// AES-256-GCM under the master key. Stored form: "v1:" + base64(nonce | tag | ciphertext); the purpose is the
/// associated data. A fresh 96-bit random nonce per value is safe for far more values than NodeOps will ever hold.
/// </summary>
internal sealed class AesGcmSecretProtector : ISecretProtector
{
    private const string Version = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public AesGcmSecretProtector(byte[] masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        if (masterKey.Length != 32)
        {
            throw new ArgumentException("The master key must be 32 bytes (AES-256).", nameof(masterKey));
        }

        _key = masterKey.ToArray();
    }

    public string Protect(string plaintext, string purpose)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(purpose));
        CryptographicOperations.ZeroMemory(plain);
        return Version + Convert.ToBase64String(output);
    }

    public string Unprotect(string protectedText, string purpose)
    {
        ArgumentNullException.ThrowIfNull(protectedText);
        if (!protectedText.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new CryptographicException("The protected value has an unknown format.");
        }

        byte[] input;
        try
        {
            input = Convert.FromBase64String(protectedText[Version.Length..]);
        }
        catch (FormatException ex)
        {
            throw new CryptographicException("The protected value is not valid base64.", ex);
        }

        if (input.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The protected value is truncated.");
        }

        var plain = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(purpose));
        return Encoding.UTF8.GetString(plain);
    }
}
