using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Clusters;
using NodeOps.Credentials;
using NodeOps.Features;

namespace NodeOps.Runners.Ssh;

/// <summary>
/// ControlMaster connections, reused across commands and executions. A connection is keyed by user, host, port,
/// credential id and a hash of the credential's secret (so an edited credential gets a new connection), never by
/// host alone. Host keys are pinned in the shared <see cref="HostKeyPinStore"/>: the first connection to a node
/// accepts and records its key, later ones verify against the pin with StrictHostKeyChecking=yes.
/// Control sockets, known_hosts files and key files live in one private 0700 folder with short names (socket
/// paths are limited to about 104 bytes); a private key file exists only until its master has authenticated.
/// </summary>
internal sealed partial class SshConnectionPool : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SshOptions _options;
    private readonly HostKeyPinStore _pins;
    private readonly FeatureService _features;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lazy<string> _root;
    private long _counter;
    private int _disposed;

    public SshConnectionPool(IOptions<SshOptions> options, HostKeyPinStore pins, FeatureService features, TimeProvider time, ILogger<SshConnectionPool> logger)
    {
        _options = options.Value;
        _pins = pins;
        _features = features;
        _time = time;
        _logger = logger;
        _root = new Lazy<string>(CreatePrivateRoot);
    }

    /// <summary>Open masters (for tests and diagnostics).</summary>
    public int OpenCount => _entries.Values.Count(e => e.Master is { IsAlive: true });

    /// <summary>A connection ready for commands; dispose it when the command is done.</summary>
    public async Task<Lease> AcquireAsync(SshTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var entry = _entries.GetOrAdd(Key(target), _ => new Entry());
        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pin = await _pins.GetAsync(target.ClusterName, target.NodeName, cancellationToken).ConfigureAwait(false);
            var master = entry.Master;
            // A connection verified against another key than today's pin (an admin re-pinned) is not reused.
            if (master is not null && (!master.IsAlive || (pin is not null && pin.Fingerprint != master.Fingerprint)))
            {
                entry.Master = null;
                if (master.InUse == 0)
                {
                    _ = master.CloseAsync(TimeSpan.FromSeconds(2));
                }

                master = null;
            }

            master ??= entry.Master = await OpenAsync(target, pin, cancellationToken).ConfigureAwait(false);
            master.AddUser();
            master.LastUsedTimestamp = _time.GetTimestamp();
            return new Lease(this, entry, master);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Closes masters idle longer than the configured idle time, and the least recently used beyond the pool size.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken = default)
    {
        var settings = (await _features.GetAsync(cancellationToken).ConfigureAwait(false)).Ssh;
        var idleFor = TimeSpan.FromSeconds(settings.IdleTimeout);
        var idle = new List<(Entry Entry, SshMaster Master)>();
        foreach (var entry in _entries.Values)
        {
            var master = entry.Master;
            if (master is not null && master.InUse == 0)
            {
                idle.Add((entry, master));
            }
        }

        var open = _entries.Values.Count(e => e.Master is not null);
        foreach (var (entry, master) in idle.OrderBy(i => i.Master.LastUsedTimestamp))
        {
            var expired = _time.GetElapsedTime(master.LastUsedTimestamp) > idleFor || !master.IsAlive;
            if (!expired && open <= settings.ConnectionPoolSize)
            {
                continue;
            }

            if (await CloseIfIdleAsync(entry, master, cancellationToken).ConfigureAwait(false))
            {
                open--;
            }
        }
    }

    /// <summary>Drops a connection that failed, so the next acquire opens a fresh one.</summary>
    public void Invalidate(Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (ReferenceEquals(lease.Entry.Master, lease.Master))
        {
            lease.Entry.Master = null;
        }

        lease.Master.Kill();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Task.WhenAll(_entries.Values.Select(e => e.Master).OfType<SshMaster>().Select(m => m.CloseAsync(TimeSpan.FromSeconds(2)))).ConfigureAwait(false);
        _entries.Clear();
        if (_root.IsValueCreated)
        {
            try
            {
                Directory.Delete(_root.Value, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task<bool> CloseIfIdleAsync(Entry entry, SshMaster master, CancellationToken cancellationToken)
    {
        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!ReferenceEquals(entry.Master, master) || master.InUse != 0)
            {
                return false;
            }

            entry.Master = null;
        }
        finally
        {
            entry.Gate.Release();
        }

        await master.CloseAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        return true;
    }

    private async Task<SshMaster> OpenAsync(SshTarget target, HostKeyPin? pin, CancellationToken cancellationToken)
    {
        var root = _root.Value;
        var n = Interlocked.Increment(ref _counter);
        var controlPath = Path.Combine(root, "m" + n);
        var knownHosts = Path.Combine(root, "k" + n);
        var keyFile = Path.Combine(root, "i" + n);
        var credential = target.Credential;
        WritePrivateFile(knownHosts, pin is null ? "" : new HostKeyLine(pin.KeyType, pin.PublicKey).ToKnownHostsLine());
        var arguments = new List<string>(SshProcesses.CommonOptions(_options))
        {
            "-o", "ControlMaster=yes",
            "-o", "ControlPersist=no",
            "-S", controlPath,
            "-o", "UserKnownHostsFile=" + knownHosts,
            "-o", "HostKeyAlias=" + HostKeyLine.Alias,
            "-o", "StrictHostKeyChecking=" + (pin is null ? "accept-new" : "yes"),
            "-o", "UpdateHostKeys=no",
        };
        Dictionary<string, string>? environment = null;
        var fileName = _options.SshPath;
        if (credential.AuthType == CredentialAuthType.PrivateKey)
        {
            if (string.IsNullOrEmpty(credential.PrivateKey))
            {
                throw new SshConnectException(SshRunOutcome.AuthenticationFailed, SshRunResult.AuthenticationFailedCode, "凭据没有私钥");
            }

            var key = credential.PrivateKey.Replace("\r\n", "\n", StringComparison.Ordinal);
            WritePrivateFile(keyFile, key.EndsWith('\n') ? key : key + "\n");
            arguments.AddRange(["-i", keyFile, "-o", "PreferredAuthentications=publickey", "-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no"]);
            if (string.IsNullOrEmpty(credential.Passphrase))
            {
                arguments.AddRange(["-o", "BatchMode=yes"]);
            }
            else
            {
                // sshpass answers the passphrase prompt from its environment; BatchMode would suppress the prompt.
                environment = new Dictionary<string, string> { ["SSHPASS"] = credential.Passphrase };
                arguments.AddRange(["-o", "BatchMode=no", "-o", "NumberOfPasswordPrompts=1"]);
                arguments.InsertRange(0, ["-e", "-P", "passphrase", _options.SshPath]);
                fileName = _options.SshpassPath;
            }
        }
        else
        {
            if (string.IsNullOrEmpty(credential.Password))
            {
                throw new SshConnectException(SshRunOutcome.AuthenticationFailed, SshRunResult.AuthenticationFailedCode, "凭据没有密码");
            }

            // The password reaches sshpass through its environment (sshpass -e), never through a command line.
            environment = new Dictionary<string, string> { ["SSHPASS"] = credential.Password };
            arguments.AddRange(["-o", "BatchMode=no", "-o", "PreferredAuthentications=password,keyboard-interactive", "-o", "PubkeyAuthentication=no", "-o", "NumberOfPasswordPrompts=1"]);
            arguments.InsertRange(0, ["-e", _options.SshPath]);
            fileName = _options.SshpassPath;
        }

        arguments.AddRange(["-p", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", credential.Username, "--", target.Address, "read -r _ || true"]);
        SshMaster master;
        try
        {
            master = await SshMaster.StartAsync(
                fileName,
                arguments,
                environment,
                controlPath,
                TimeSpan.FromSeconds(_options.ConnectTimeoutSeconds + 5),
                (process, stderr) => Classify(process, stderr, pin),
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            SshMaster.TryDelete(keyFile);
        }

        try
        {
            master.Fingerprint = await VerifyPinAsync(target, pin, knownHosts, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            master.Kill();
            throw;
        }
        finally
        {
            SshMaster.TryDelete(knownHosts);
        }

        Log.MasterOpened(_logger, target.ClusterName, target.NodeName, master.Fingerprint);
        return master;
    }

    /// <summary>
    /// On first contact, records the key the node presented (OpenSSH wrote it to the private known_hosts file on
    /// accept-new). When another instance pinned a different key meanwhile, this connection is not trusted.
    /// </summary>
    private async Task<string> VerifyPinAsync(SshTarget target, HostKeyPin? pin, string knownHosts, CancellationToken cancellationToken)
    {
        if (pin is not null)
        {
            return pin.Fingerprint;
        }

        var presented = HostKeyLine.Parse(await File.ReadAllTextAsync(knownHosts, cancellationToken).ConfigureAwait(false))
            ?? throw new SshConnectException(SshRunOutcome.ConnectionFailed, SshRunResult.ConnectionFailedCode, "未能读取节点的主机密钥");
        var candidate = new HostKeyPin(target.ClusterName, target.NodeName, target.Address, target.Port, presented.KeyType, presented.PublicKey, presented.Fingerprint, _time.GetUtcNow());
        var held = await _pins.PinIfAbsentAsync(candidate, cancellationToken).ConfigureAwait(false);
        if (held.PublicKey != presented.PublicKey)
        {
            throw new SshConnectException(SshRunOutcome.HostKeyMismatch, SshRunResult.HostKeyMismatchCode,
                $"主机密钥与已固定的密钥不一致: 固定 {held.Fingerprint}, 节点提供 {presented.Fingerprint}");
        }

        Log.HostKeyPinned(_logger, target.ClusterName, target.NodeName, held.Fingerprint);
        return held.Fingerprint;
    }

    private static SshConnectException Classify(Process process, string stderr, HostKeyPin? pin)
    {
        if (stderr.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal)
            || (pin is not null && stderr.Contains("Host key verification failed", StringComparison.Ordinal)))
        {
            var presented = FingerprintRegex().Match(stderr);
            var detail = presented.Success ? $", 节点提供 {presented.Value}" : "";
            return new SshConnectException(SshRunOutcome.HostKeyMismatch, SshRunResult.HostKeyMismatchCode,
                $"主机密钥与已固定的密钥不一致: 固定 {pin?.Fingerprint}{detail}。如节点确已重装，请管理员清除该节点的主机密钥固定");
        }

        // sshpass exits with 5 for a rejected password.
        var sshpassRejected = process.ExitCode == 5 && process.StartInfo.FileName.EndsWith("sshpass", StringComparison.Ordinal);
        if (sshpassRejected || stderr.Contains("Permission denied", StringComparison.Ordinal))
        {
            return new SshConnectException(SshRunOutcome.AuthenticationFailed, SshRunResult.AuthenticationFailedCode, "SSH 认证失败: 用户名、密码或密钥不正确");
        }

        var last = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"ssh exited with {process.ExitCode}";
        return new SshConnectException(SshRunOutcome.ConnectionFailed, SshRunResult.ConnectionFailedCode, "SSH 连接失败: " + (last.Length > 300 ? last[..300] : last));
    }

    private string CreatePrivateRoot()
    {
        var parent = _options.TempRoot ?? Path.GetTempPath();
        var root = Path.Combine(parent, "nodeops-ssh-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant());
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(root);
        }
        else
        {
            Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return root;
    }

    private static void WritePrivateFile(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(content));
    }

    private string Key(SshTarget target)
    {
        var credential = target.Credential;
        var secret = credential.AuthType == CredentialAuthType.PrivateKey
            ? (credential.PrivateKey ?? "") + "\0" + (credential.Passphrase ?? "")
            : credential.Password ?? "";
        // The hash only tells versions of one credential apart; it never leaves this process.
        var secretHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..16];
        return $"{credential.Username}@{target.Address}:{target.Port}/{credential.Id}/{secretHash}";
    }

    [System.Text.RegularExpressions.GeneratedRegex("SHA256:[A-Za-z0-9+/]{20,}")]
    private static partial System.Text.RegularExpressions.Regex FingerprintRegex();

    internal sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public SshMaster? Master { get; set; }
    }

    /// <summary>A master held for one command; disposing it marks the master idle again.</summary>
    internal sealed class Lease(SshConnectionPool pool, Entry entry, SshMaster master) : IDisposable
    {
        private int _released;

        public Entry Entry { get; } = entry;

        public SshMaster Master { get; } = master;

        public string ControlPath => Master.ControlPath;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            Master.LastUsedTimestamp = pool._time.GetTimestamp();
            Master.RemoveUser();
        }
    }
}
