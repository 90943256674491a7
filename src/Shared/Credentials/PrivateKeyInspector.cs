using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using NodeOps.Errors;
using NodeOps.Runners.Ssh;

namespace NodeOps.Credentials;

/// <summary>
/// Checks a private key when it is stored: that it parses, and that its passphrase is right.
/// <para>
/// The armour and the encryption marker are read here (PEM "Proc-Type: 4,ENCRYPTED", PKCS#8 "ENCRYPTED PRIVATE KEY",
/// the openssh-key-v1 cipher name), so a missing or superfluous passphrase is reported without decrypting anything.
/// The real proof is left to the client that will use the key, SSH.NET (<see cref="SshPrivateKey"/>), in process: the
/// key and its passphrase never reach a file, a command line or another process.
/// </para>
/// </summary>
internal sealed partial class PrivateKeyInspector
{
    public const int MaxKeyLength = 16 * 1024;
    public const int MaxPassphraseLength = 1024;
    private static readonly string[] Labels = ["OPENSSH PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY"];

    /// <summary>The key with normalised line ends and one final newline, as it is stored.</summary>
    public static string Normalize(string privateKey) => SshPrivateKey.Normalize(privateKey);

    public Task<PrivateKeyInfo> InspectAsync(string privateKey, string? passphrase, CancellationToken cancellationToken = default)
    {
        var key = Normalize(privateKey);
        if (key.Length > MaxKeyLength)
        {
            throw NodeOpsException.Invalid("private_key", $"私钥最多 {MaxKeyLength} 个字符");
        }

        var encrypted = IsEncrypted(key);
        if (encrypted && string.IsNullOrEmpty(passphrase))
        {
            throw NodeOpsException.Invalid("passphrase", "私钥已加密，需要提供 passphrase");
        }

        if (!encrypted && !string.IsNullOrEmpty(passphrase))
        {
            throw NodeOpsException.Invalid("passphrase", "私钥未加密，不应提供 passphrase");
        }

        if (passphrase is not null && (passphrase.Length > MaxPassphraseLength || passphrase.Any(c => c is '\0' or '\n' or '\r')))
        {
            throw NodeOpsException.Invalid("passphrase", $"passphrase 最多 {MaxPassphraseLength} 个字符，且不能包含换行或 NUL");
        }

        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var (keyType, publicKey) = SshPrivateKey.PublicKeyOf(SshPrivateKey.Load(key, passphrase));
            return Task.FromResult(new PrivateKeyInfo(keyType, keyType + " " + publicKey, HostKeyCheck.FingerprintOf(publicKey), encrypted));
        }
        catch (Exception ex) when (SshPrivateKey.IsUnreadable(ex))
        {
            // The library's message may quote key material: say only which field is at fault. An encrypted key that
            // does not open is, short of corruption, a wrong passphrase.
            throw encrypted
                ? NodeOpsException.Invalid("passphrase", "passphrase 不正确，无法解密私钥")
                : NodeOpsException.Invalid("private_key", "无法解析私钥：格式不受支持 (支持 OpenSSH、PEM 和 PKCS#8 的 RSA、ECDSA、Ed25519 私钥)");
        }
    }

    /// <summary>Reads the armour; throws 422 on "private_key" for anything that is not one private key.</summary>
    internal static bool IsEncrypted(string key)
    {
        var match = ArmourRegex().Match(key);
        if (!match.Success || !Labels.Contains(match.Groups["label"].Value, StringComparer.Ordinal))
        {
            throw NodeOpsException.Invalid("private_key", "私钥必须是一个 PEM 或 OpenSSH 格式的私钥 (-----BEGIN ... PRIVATE KEY-----)");
        }

        var label = match.Groups["label"].Value;
        var lines = match.Groups["body"].Value.Split('\n');
        var headers = lines.TakeWhile(l => l.Contains(':', StringComparison.Ordinal)).ToList();
        var body = string.Concat(lines.Skip(headers.Count).Select(l => l.Trim()));
        byte[] der;
        try
        {
            der = Convert.FromBase64String(body);
        }
        catch (FormatException)
        {
            throw NodeOpsException.Invalid("private_key", "私钥内容不是有效的 base64");
        }

        return label switch
        {
            "ENCRYPTED PRIVATE KEY" => true,
            "OPENSSH PRIVATE KEY" => OpenSshCipher(der) != "none",
            _ => headers.Any(h => h.StartsWith("Proc-Type:", StringComparison.Ordinal) && h.Contains("ENCRYPTED", StringComparison.Ordinal)),
        };
    }

    /// <summary>The cipher name of an openssh-key-v1 blob: "none" for an unencrypted key.</summary>
    private static string OpenSshCipher(byte[] blob)
    {
        var magic = "openssh-key-v1\0"u8;
        if (blob.Length < magic.Length + 4 || !blob.AsSpan(0, magic.Length).SequenceEqual(magic))
        {
            throw NodeOpsException.Invalid("private_key", "不是有效的 OpenSSH 私钥 (openssh-key-v1)");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(magic.Length, 4));
        if (length is 0 or > 64 || magic.Length + 4 + length > blob.Length)
        {
            throw NodeOpsException.Invalid("private_key", "不是有效的 OpenSSH 私钥 (openssh-key-v1)");
        }

        return Encoding.ASCII.GetString(blob, magic.Length + 4, (int)length);
    }

    [GeneratedRegex("^-----BEGIN (?<label>[A-Z0-9 ]+)-----\n(?<body>[\\s\\S]*?)\n?-----END \\k<label>-----\n$")]
    private static partial Regex ArmourRegex();
}
