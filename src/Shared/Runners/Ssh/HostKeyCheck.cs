using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NodeOps.Clusters;
using Renci.SshNet.Common;

namespace NodeOps.Runners.Ssh;

/// <summary>
/// Verifies the host key a node presents during key exchange (SSH.NET's HostKeyReceived), before any credential is
/// sent. With a pin, the key's type and its bytes must equal the pinned ones, not only its fingerprint; without one,
/// the presented key is remembered so the caller can pin it once the connection is up. Keys are kept in known_hosts
/// form (type and base64 blob), so Ansible's known_hosts is written from the same pins.
/// </summary>
internal sealed class HostKeyCheck(HostKeyPin? pin)
{
    public HostKeyPin? Pin { get; } = pin;

    /// <summary>The key the node presented: its type (from the key blob, e.g. "ssh-rsa") and base64 blob.</summary>
    public (string KeyType, string PublicKey)? Presented { get; private set; }

    /// <summary>True when the node presented a key other than the pinned one (the connection was refused).</summary>
    public bool Mismatch { get; private set; }

    public void OnHostKeyReceived(object? sender, HostKeyEventArgs e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var keyType = KeyTypeOf(e.HostKey);
        Presented = (keyType, Convert.ToBase64String(e.HostKey));
        if (Pin is null)
        {
            e.CanTrust = true;
            return;
        }

        byte[] pinned;
        try
        {
            pinned = Convert.FromBase64String(Pin.PublicKey);
        }
        catch (FormatException)
        {
            pinned = [];
        }

        Mismatch = !(string.Equals(keyType, Pin.KeyType, StringComparison.Ordinal) && CryptographicOperations.FixedTimeEquals(pinned, e.HostKey));
        e.CanTrust = !Mismatch;
    }

    /// <summary>The mismatch error: which key is pinned and which one the node showed, and what an admin can do.</summary>
    public SshConnectException MismatchError() => MismatchError(Pin, Presented);

    public static SshConnectException MismatchError(HostKeyPin? pin, (string KeyType, string PublicKey)? presented)
    {
        var shown = presented is { } p ? $", 节点提供 {p.KeyType} {FingerprintOf(p.PublicKey)}" : "";
        return new SshConnectException(SshRunOutcome.HostKeyMismatch, SshRunResult.HostKeyMismatchCode,
            $"主机密钥与已固定的密钥不一致: 固定 {pin?.KeyType} {pin?.Fingerprint}{shown}。如节点确已重装，请管理员清除该节点的主机密钥固定");
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

    /// <summary>
    /// The key type named inside the blob (its first SSH string). The negotiated algorithm can differ for one key
    /// (rsa-sha2-512 signs with an "ssh-rsa" key), and known_hosts names the key type.
    /// </summary>
    internal static string KeyTypeOf(byte[] blob)
    {
        if (blob.Length < 4)
        {
            return "";
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(blob);
        return length <= (uint)(blob.Length - 4) && length <= 64 ? Encoding.ASCII.GetString(blob, 4, (int)length) : "";
    }
}
