using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NodeOps.Errors;
using NodeOps.Processes;

namespace NodeOps.Credentials;

/// <summary>
/// Checks a private key when it is stored: that it parses, and that its passphrase is right.
/// <para>
/// The armour and the encryption marker are read here (PEM "Proc-Type: 4,ENCRYPTED", PKCS#8 "ENCRYPTED PRIVATE KEY",
/// the openssh-key-v1 cipher name), so a missing or superfluous passphrase is reported without running anything.
/// The real proof is left to OpenSSH itself, the client that will use the key: <c>ssh-keygen -y</c> derives the
/// public key from a 0600 copy in a private temp folder. The passphrase never goes on a command line: ssh-keygen
/// asks for it through SSH_ASKPASS (forced with SSH_ASKPASS_REQUIRE), and the askpass helper prints it from its
/// environment, which only the same user can read. This covers every format OpenSSH reads (RSA, ECDSA, Ed25519;
/// PEM, PKCS#8 and OpenSSH with bcrypt-pbkdf) without reimplementing any of them.
/// </para>
/// </summary>
internal sealed partial class PrivateKeyInspector
{
    public const int MaxKeyLength = 16 * 1024;
    public const int MaxPassphraseLength = 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly string[] Labels = ["OPENSSH PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY"];
    private const string PassphraseVariable = "NODEOPS_KEY_PASSPHRASE";

    /// <summary>The key with normalised line ends and one final newline, as OpenSSH expects it.</summary>
    public static string Normalize(string privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        return privateKey.Replace("\r\n", "\n", StringComparison.Ordinal).Trim() + "\n";
    }

    public async Task<PrivateKeyInfo> InspectAsync(string privateKey, string? passphrase, CancellationToken cancellationToken = default)
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

        var keygen = BoundedProcess.FindOnPath("ssh-keygen")
            ?? throw new NodeOpsException(ErrorKind.Unavailable, "服务器未安装 ssh-keygen，无法校验私钥");
        var folder = Directory.CreateTempSubdirectory("nodeops-key-");
        var keyFile = Path.Combine(folder.FullName, "key");
        try
        {
            await WritePrivateAsync(keyFile, key, UnixFileMode.UserRead | UnixFileMode.UserWrite, cancellationToken).ConfigureAwait(false);
            var askpass = Path.Combine(folder.FullName, "askpass");
            await WritePrivateAsync(askpass, $"#!/bin/sh\nprintf '%s\\n' \"${PassphraseVariable}\"\n",
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, cancellationToken).ConfigureAwait(false);
            var environment = new Dictionary<string, string?>
            {
                ["SSH_ASKPASS"] = askpass,
                ["SSH_ASKPASS_REQUIRE"] = "force",

                // OpenSSH before 8.4 ignores SSH_ASKPASS_REQUIRE and uses askpass only with a display and no terminal.
                ["DISPLAY"] = ":0",
                [PassphraseVariable] = passphrase ?? "",
                ["HOME"] = folder.FullName,
                ["LC_ALL"] = "C",
            };
            var start = new BoundedProcessStart(keygen, ["-y", "-f", keyFile], Timeout) { Stdin = "", Environment = environment, WorkingDirectory = folder.FullName };
            var result = await BoundedProcess.RunAsync(start, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            if (result.TimedOut)
            {
                throw NodeOpsException.Invalid("private_key", "校验私钥超时");
            }

            if (result.ExitCode != 0)
            {
                throw result.Stderr.Contains("passphrase", StringComparison.OrdinalIgnoreCase)
                    ? NodeOpsException.Invalid("passphrase", "passphrase 不正确，无法解密私钥")
                    : NodeOpsException.Invalid("private_key", "无法解析私钥：不是 OpenSSH 可读取的私钥");
            }

            return Describe(result.Stdout, encrypted);
        }
        finally
        {
            Scrub(keyFile);
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // The key copy itself was overwritten above; an empty folder left in the temp area holds nothing.
            }
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

    private static PrivateKeyInfo Describe(string publicKeyLine, bool encrypted)
    {
        var parts = publicKeyLine.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            throw NodeOpsException.Invalid("private_key", "无法从私钥导出公钥");
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            throw NodeOpsException.Invalid("private_key", "无法从私钥导出公钥");
        }

        var fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');
        return new PrivateKeyInfo(parts[0], parts[0] + " " + parts[1], fingerprint, encrypted);
    }

    private static async Task WritePrivateAsync(string path, string content, UnixFileMode mode, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(content), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Overwrites the key copy before it is removed, so its bytes do not linger in free blocks of a tmpfs.</summary>
    private static void Scrub(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                var length = new FileInfo(path).Length;
                File.WriteAllBytes(path, new byte[length]);
                File.Delete(path);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex("^-----BEGIN (?<label>[A-Z0-9 ]+)-----\n(?<body>[\\s\\S]*?)\n?-----END \\k<label>-----\n$")]
    private static partial Regex ArmourRegex();
}
