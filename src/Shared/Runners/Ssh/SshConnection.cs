using Renci.SshNet;

namespace NodeOps.Runners.Ssh;

/// <summary>
/// One authenticated SSH.NET client to one node, shared by the commands running on it (each on its own channel).
/// It is closed only when no command uses it: disposing a client under a running command leaves the remote process
/// running and the command's task pending.
/// </summary>
internal sealed class SshConnection(SshClient client, ConnectionInfo info, string fingerprint) : IDisposable
{
    private int _inUse;
    private int _disposed;

    public SshClient Client { get; } = client;

    /// <summary>The host key fingerprint this connection verified.</summary>
    public string Fingerprint { get; set; } = fingerprint;

    /// <summary>Commands using this connection right now.</summary>
    public int InUse => Volatile.Read(ref _inUse);

    public long LastUsedTimestamp { get; set; }

    public bool IsAlive => Volatile.Read(ref _disposed) == 0 && Client.IsConnected;

    public void AddUser() => Interlocked.Increment(ref _inUse);

    public void RemoveUser() => Interlocked.Decrement(ref _inUse);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Client.Dispose();
        foreach (var method in info.AuthenticationMethods)
        {
            (method as IDisposable)?.Dispose();
        }
    }
}
