namespace NodeOps.Runners.Ssh;

/// <summary>Bound from the "Ssh" section: how NodeOps connects to nodes (SSH.NET), and where Ansible finds the OpenSSH client.</summary>
public sealed class SshOptions
{
    public const string Section = "Ssh";

    /// <summary>
    /// Key exchange, fastest first. ML-KEM hybrid (post-quantum) leads where both ends have it (OpenSSH 9.9+);
    /// otherwise curve25519, about a tenth of the CPU of the managed sntrup761 hybrid (~70 ms a handshake), which
    /// comes late so a pool of hundreds of nodes does not spend seconds of CPU on handshakes. Classic
    /// Diffie-Hellman comes last, for old servers only.
    /// </summary>
    public const string DefaultKeyExchangeAlgorithms =
        "mlkem768x25519-sha256,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
        + "sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
        + "diffie-hellman-group18-sha512,diffie-hellman-group14-sha256";

    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>Keep-alive interval of pooled connections, so a dead peer is noticed and dropped connections are not reused.</summary>
    public int ServerAliveIntervalSeconds { get; set; } = 15;

    /// <summary>Comma-separated key exchange algorithms in order of preference; each must be one SSH.NET offers.</summary>
    public string KeyExchangeAlgorithms { get; set; } = DefaultKeyExchangeAlgorithms;

    /// <summary>
    /// Floor for the thread pool's worker threads. SSH.NET waits synchronously inside its async calls (opening a
    /// channel, the exec request, parts of the handshake), so a fan-out over many nodes holds many pool threads at
    /// once; below this floor the pool adds threads only slowly and every node waits. 0 leaves the pool alone.
    /// </summary>
    public int MinWorkerThreads { get; set; } = 256;

    /// <summary>How long a stopped command gets to end after its remote group was signalled before its channel is cancelled.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(3);

    public IReadOnlyList<string> KeyExchangeOrder() =>
        KeyExchangeAlgorithms.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
