using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using NodeOps.Clusters;
using NodeOps.Credentials;
using Microsoft.Extensions.Options;
using NodeOps.Features;

namespace NodeOps.Runners.Ssh;

/// <summary>
/// SSH.NET connections, reused across commands and executions. A connection is keyed by user, host, port,
/// credential id and a hash of the credential's secret (so an edited credential gets a new connection), never by
/// host alone. Idle connections close after ssh.idle_timeout, and idle ones beyond ssh.connection_pool_size close
/// least recently used first. A connection is only ever closed when no command runs on it.
/// </summary>
internal sealed class SshConnectionPool(SshConnector connector, HostKeyPinStore pins, FeatureService features, IOptions<SshOptions> options, TimeProvider time) : IAsyncDisposable
{
    /// <summary>The thread pool's worker floor once SSH is in use (for diagnostics).</summary>
    public int ThreadFloor { get; } = RaiseThreadFloor(options.Value.MinWorkerThreads);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time;
    private int _disposed;
    private int _trimming;

    /// <summary>Open connections (for tests and diagnostics).</summary>
    public int OpenCount => _entries.Values.Count(e => e.Connection is { IsAlive: true });

    /// <summary>Connections opened since start (for tests: a reused connection does not count).</summary>
    public long OpenedCount => Interlocked.Read(ref _opened);

    private long _opened;

    /// <summary>A connection ready for commands; dispose the lease when the command is done.</summary>
    public async Task<Lease> AcquireAsync(SshTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var key = Key(target);
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        Lease lease;
        try
        {
            var pin = await pins.GetAsync(target.ClusterName, target.NodeName, cancellationToken).ConfigureAwait(false);
            var connection = entry.Connection;
            // A dropped connection, or one verified against another key than today's pin (an admin cleared it), is not reused.
            if (connection is not null && (!connection.IsAlive || (pin is not null && pin.Fingerprint != connection.Fingerprint)))
            {
                entry.Connection = null;
                CloseWhenUnused(connection);
                connection = null;
            }

            if (connection is null)
            {
                connection = entry.Connection = await connector.OpenAsync(target, key, pin, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _opened);
                _ = TrimAsync();
            }

            connection.AddUser();
            connection.LastUsedTimestamp = _time.GetTimestamp();
            lease = new Lease(this, entry, connection);
        }
        finally
        {
            entry.Gate.Release();
        }

        return lease;
    }

    /// <summary>Closes connections idle longer than the configured idle time, and the least recently used beyond the pool size.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken = default)
    {
        var settings = (await features.GetAsync(cancellationToken).ConfigureAwait(false)).Ssh;
        var idleFor = TimeSpan.FromSeconds(settings.IdleTimeout);
        var idle = _entries.Values
            .Select(e => (Entry: e, Connection: e.Connection))
            .Where(i => i.Connection is { InUse: 0 })
            .OrderBy(i => i.Connection!.LastUsedTimestamp)
            .ToList();
        var open = _entries.Values.Count(e => e.Connection is not null);
        foreach (var (entry, connection) in idle)
        {
            var expired = _time.GetElapsedTime(connection!.LastUsedTimestamp) > idleFor || !connection.IsAlive;
            if ((expired || open > settings.ConnectionPoolSize) && await CloseIfIdleAsync(entry, connection, cancellationToken).ConfigureAwait(false))
            {
                open--;
            }
        }
    }

    /// <summary>Keeps the pool within its size as soon as a new connection opens, rather than at the next sweep.</summary>
    private async Task TrimAsync()
    {
        if (Interlocked.Exchange(ref _trimming, 1) != 0)
        {
            return;
        }

        try
        {
            var size = (await features.GetAsync().ConfigureAwait(false)).Ssh.ConnectionPoolSize;
            if (_entries.Values.Count(e => e.Connection is not null) > size)
            {
                await SweepAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or NodeOps.Storage.TableStoreException or OperationCanceledException)
        {
            // The periodic sweep tries again.
        }
        finally
        {
            Volatile.Write(ref _trimming, 0);
        }
    }

    /// <summary>Drops a connection that failed, so the next acquire opens a fresh one; it closes once its other commands are done.</summary>
    public void Invalidate(Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        Interlocked.CompareExchange(ref lease.Entry.ConnectionField, null, lease.Connection);
    }

    /// <summary>
    /// Closes every connection. The host stops runs through their tokens first; a connection still in use after a
    /// bounded wait is closed anyway, since the process is going away.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var connections = _entries.Values.Select(e => e.Connection).OfType<SshConnection>().ToList();
        for (var i = 0; i < 100 && connections.Any(c => c.InUse > 0); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time).ConfigureAwait(false);
        }

        await Task.WhenAll(connections.Select(c => Task.Run(c.Dispose))).ConfigureAwait(false);
        _entries.Clear();
    }

    private async Task<bool> CloseIfIdleAsync(Entry entry, SshConnection connection, CancellationToken cancellationToken)
    {
        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!ReferenceEquals(entry.Connection, connection) || connection.InUse != 0)
            {
                return false;
            }

            entry.Connection = null;
        }
        finally
        {
            entry.Gate.Release();
        }

        // Disconnecting waits for the server's goodbye; do it off the caller's path.
        await Task.Run(connection.Dispose, CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    /// <summary>A connection taken out of the pool closes when its last command ends (see <see cref="Lease.Dispose"/>).</summary>
    private static void CloseWhenUnused(SshConnection connection)
    {
        if (connection.InUse == 0)
        {
            _ = Task.Run(connection.Dispose);
        }
    }

    /// <summary>See <see cref="SshOptions.MinWorkerThreads"/>: raised once, when SSH is first used, and never lowered.</summary>
    private static int RaiseThreadFloor(int floor)
    {
        ThreadPool.GetMinThreads(out var workers, out var completion);
        if (floor > workers)
        {
            ThreadPool.SetMinThreads(floor, completion);
        }

        return Math.Max(floor, workers);
    }

    private static string Key(SshTarget target)
    {
        var credential = target.Credential;
        var secret = credential.AuthType == CredentialAuthType.PrivateKey
            ? (credential.PrivateKey ?? "") + "\0" + (credential.Passphrase ?? "")
            : credential.Password ?? "";
        // The hash only tells versions of one credential apart; it never leaves this process.
        var secretHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..16];
        return $"{credential.Username}@{target.Address}:{target.Port}/{credential.Id}/{secretHash}";
    }

    internal sealed class Entry
    {
        internal SshConnection? ConnectionField;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public SshConnection? Connection
        {
            get => Volatile.Read(ref ConnectionField);
            set => Volatile.Write(ref ConnectionField, value);
        }
    }

    /// <summary>A connection held for one command; disposing it marks the connection idle again.</summary>
    internal sealed class Lease(SshConnectionPool pool, Entry entry, SshConnection connection) : IDisposable
    {
        private int _released;

        public Entry Entry { get; } = entry;

        public SshConnection Connection { get; } = connection;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            Connection.LastUsedTimestamp = pool._time.GetTimestamp();
            Connection.RemoveUser();
            // Out of the pool (dropped, invalidated, re-pinned): close it once no command uses it any more.
            if (!ReferenceEquals(Entry.Connection, Connection))
            {
                CloseWhenUnused(Connection);
            }
        }
    }
}
