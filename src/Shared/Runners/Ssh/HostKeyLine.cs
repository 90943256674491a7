using System.Security.Cryptography;

namespace NodeOps.Runners.Ssh;

/// <summary>A host key as known_hosts holds it ("alias type base64"), with its OpenSSH SHA256 fingerprint.</summary>
internal sealed record HostKeyLine(string KeyType, string PublicKey)
{
    /// <summary>The name every connection's private known_hosts file uses for its one node (HostKeyAlias).</summary>
    public const string Alias = "nodeops-node";

    public string Fingerprint => FingerprintOf(PublicKey);

    public string ToKnownHostsLine() => $"{Alias} {KeyType} {PublicKey}\n";

    public static HostKeyLine? Parse(string knownHosts)
    {
        foreach (var line in knownHosts.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3 && parts[0] == Alias)
            {
                return new HostKeyLine(parts[1], parts[2]);
            }
        }

        return null;
    }

    /// <summary>"SHA256:" and the unpadded base64 of the key blob's SHA-256, as ssh-keygen -l prints it.</summary>
    public static string FingerprintOf(string publicKeyBase64)
    {
        try
        {
            return "SHA256:" + Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(publicKeyBase64))).TrimEnd('=');
        }
        catch (FormatException)
        {
            return "SHA256:?";
        }
    }
}
