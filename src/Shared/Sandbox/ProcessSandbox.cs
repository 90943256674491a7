using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Processes;

namespace NodeOps.Sandbox;

/// <summary>
/// Runs programs that carry user content (playbooks, the assistant's kubectl and bash) in a bubblewrap sandbox:
/// their own PID, IPC, UTS, cgroup and user namespaces (the network is shared, to reach nodes), an unprivileged
/// user that is neither root nor NodeOps's own (when NodeOps is root, setpriv drops to it before bwrap starts;
/// otherwise the user namespace maps it), no capabilities, no new privileges, and the filesystem of
/// <see cref="SandboxLayout"/>. The environment is whatever the caller passes, which is why callers build it from
/// an allow-list. When the sandbox cannot be set up, <see cref="EnsureAvailableAsync"/> says why, and the work is refused.
/// </summary>
public sealed class ProcessSandbox(IOptions<SandboxOptions> options, TimeProvider time, ILogger<ProcessSandbox> logger) : IDisposable
{
    private static readonly TimeSpan KeepAvailable = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan KeepUnavailable = TimeSpan.FromSeconds(15);
    private readonly SemaphoreSlim _probeGate = new(1, 1);
    private (string? Cause, long At)? _probe;

    public SandboxOptions Options => options.Value;

    public void Dispose() => _probeGate.Dispose();

    /// <summary>Whether processes entering the sandbox are first dropped from root to the sandbox user.</summary>
    public static bool DropsRoot => Native.IsRoot;

    public SandboxedCommand Wrap(SandboxRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        var readOnly = request.ReadOnlyFolders.ToList();
        if (SandboxLayout.ProgramFolder(request.FileName) is { } programFolder)
        {
            readOnly.Add(programFolder);
        }

        var bwrap = SandboxLayout.Arguments(request with { ReadOnlyFolders = readOnly }, settings)
            .Append("--").Append(request.FileName).Concat(request.Arguments);
        if (!DropsRoot)
        {
            return new SandboxedCommand(settings.BwrapPath, bwrap.ToList());
        }

        var drop = new List<string>
        {
            "--reuid=" + settings.UserId.ToString(CultureInfo.InvariantCulture),
            "--regid=" + settings.GroupId.ToString(CultureInfo.InvariantCulture),
            "--clear-groups",
            "--no-new-privs",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--",
            settings.BwrapPath,
        };
        return new SandboxedCommand(settings.SetprivPath, [.. drop, .. bwrap]);
    }

    /// <summary>
    /// Gives the sandbox user the folder it works in. Only needed when NodeOps is root: the sandbox then runs as
    /// another user, who must own its private folder (still 0700, still readable by NodeOps as root).
    /// </summary>
    public void HandOver(string folder)
    {
        if (!DropsRoot)
        {
            return;
        }

        var settings = options.Value;
        Own(folder, settings);
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories))
        {
            Own(entry, settings);
        }
    }

    /// <summary>Throws <see cref="SandboxUnavailableException"/> naming the cause when the sandbox cannot be set up here.</summary>
    public async Task EnsureAvailableAsync(CancellationToken cancellationToken = default)
    {
        var cause = await ProbeAsync(cancellationToken).ConfigureAwait(false);
        if (cause is not null)
        {
            throw new SandboxUnavailableException(cause);
        }
    }

    /// <summary>Null when the sandbox works, else why not. Cached: a working sandbox for minutes, a broken one for seconds.</summary>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } cached)
        {
            return cached.Cause;
        }

        await _probeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh() is { } again)
            {
                return again.Cause;
            }

            var cause = await RunProbeAsync(cancellationToken).ConfigureAwait(false);
            if (cause is not null)
            {
                Log.Unavailable(logger, cause);
            }

            _probe = (cause, time.GetTimestamp());
            return cause;
        }
        finally
        {
            _probeGate.Release();
        }
    }

    private (string? Cause, long At)? Fresh()
    {
        if (_probe is not { } probe)
        {
            return null;
        }

        var keep = probe.Cause is null ? KeepAvailable : KeepUnavailable;
        return time.GetElapsedTime(probe.At) < keep ? probe : null;
    }

    private async Task<string?> RunProbeAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!OperatingSystem.IsLinux())
        {
            return "沙箱需要 Linux (bubblewrap)";
        }

        if (!File.Exists(settings.BwrapPath))
        {
            return $"找不到 bwrap ({settings.BwrapPath})：请安装 bubblewrap，或设置 Sandbox:BwrapPath";
        }

        if (DropsRoot && !File.Exists(settings.SetprivPath))
        {
            return $"找不到 setpriv ({settings.SetprivPath})：请安装 util-linux，或设置 Sandbox:SetprivPath";
        }

        var folder = Directory.CreateTempSubdirectory("nodeops-sandbox-probe-").FullName;
        try
        {
            HandOver(folder);
            var command = Wrap(new SandboxRequest("/usr/bin/env", [], folder));
            var start = new BoundedProcessStart(command.FileName, command.Arguments, settings.ProbeTimeout)
            {
                InheritEnvironment = false,
                Environment = new Dictionary<string, string?> { ["PATH"] = "/usr/bin:/bin" },
            };
            var result = await BoundedProcess.RunAsync(start, time, cancellationToken).ConfigureAwait(false);
            if (result.TimedOut)
            {
                return "bwrap 探测超时";
            }

            if (result.ExitCode != 0)
            {
                var reason = result.Stderr.Trim();
                return $"bwrap 无法创建沙箱 (退出码 {result.ExitCode.ToString(CultureInfo.InvariantCulture)}): {(reason.Length > 300 ? reason[..300] : reason)}；需要允许非特权 user namespace (kernel.unprivileged_userns_clone=1、user.max_user_namespaces>0)，容器中需允许 clone/unshare";
            }

            return null;
        }
        catch (FileNotFoundException ex)
        {
            return "bwrap 无法启动：" + ex.Message;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Own(string path, SandboxOptions settings)
    {
        if (Native.LChown(path, settings.UserId, settings.GroupId) != 0)
        {
            throw new IOException($"Could not hand {path} to the sandbox user (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError().ToString(CultureInfo.InvariantCulture)}).");
        }
    }
}
