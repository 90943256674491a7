using System.Diagnostics;
using NodeOps.Processes;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// Removes a run's private folder (it holds the key or password) even when NodeOps dies during the run. NodeOps holds
/// an exclusive lock on a file beside the folder for as long as the run lasts; a small watchdog, started in its own
/// session so it outlives a crash, waits for a shared lock on that file and then removes the folder and the lock file.
/// The kernel releases the lock when NodeOps exits for any reason; after a normal run the folder is already gone and
/// the watchdog finds nothing to do. The sandbox itself dies with NodeOps (bwrap --die-with-parent).
/// </summary>
internal sealed class AnsibleRunGuard : IDisposable
{
    private readonly FileStream _lock;
    private readonly Process? _watchdog;

    private AnsibleRunGuard(FileStream lockFile, Process? watchdog)
    {
        _lock = lockFile;
        _watchdog = watchdog;
    }

    public static AnsibleRunGuard Start(string runFolder, string setsidPath)
    {
        var lockPath = Path.Combine(Path.GetDirectoryName(runFolder)!, "." + Path.GetFileName(runFolder) + ".lock");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var lockFile = new FileStream(lockPath, options);
        if (!File.Exists("/usr/bin/flock"))
        {
            // Without util-linux flock a crashed run's folder is removed by the next run in the same parent instead.
            return new AnsibleRunGuard(lockFile, null);
        }

        var info = new ProcessStartInfo(setsidPath) { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in new[] { "/usr/bin/flock", "-s", lockPath, "/bin/rm", "-rf", "--", runFolder, lockPath })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        info.Environment["PATH"] = BoundedProcess.SystemPath;
        var watchdog = ProcessLauncher.Start(info);
        watchdog.StandardInput.Close();
        return new AnsibleRunGuard(lockFile, watchdog);
    }

    public void Dispose()
    {
        _lock.Dispose();
        if (_watchdog is not null)
        {
            // It takes the lock at once now and finds the folder gone (or removes what is left).
            _watchdog.WaitForExit(5000);
            _watchdog.Dispose();
        }
    }
}
