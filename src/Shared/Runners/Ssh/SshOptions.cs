namespace NodeOps.Runners.Ssh;

/// <summary>Bound from the "Ssh" section: where the OpenSSH tools are and the connection options every node gets.</summary>
public sealed class SshOptions
{
    public const string Section = "Ssh";

    public string SshPath { get; set; } = "ssh";

    public string SshpassPath { get; set; } = "sshpass";

    public int ConnectTimeoutSeconds { get; set; } = 10;

    public int ServerAliveIntervalSeconds { get; set; } = 15;

    public int ServerAliveCountMax { get; set; } = 3;

    /// <summary>Parent of the private (0700) folder for control sockets and short-lived key files; the system temp folder by default.</summary>
    public string? TempRoot { get; set; }

    /// <summary>How long a stopped command gets to end after its remote group was signalled before the local client is killed.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(3);
}
