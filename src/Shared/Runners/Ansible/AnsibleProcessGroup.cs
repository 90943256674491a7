using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// ansible-playbook as the leader of its own process group (started through setsid, which makes the child a
/// session and group leader with the child's own PID), so a timeout or cancel reaches every process of the run
/// at once: the controller, its forked workers and their ssh clients. SIGTERM first, SIGKILL after the grace.
/// </summary>
internal sealed class AnsibleProcessGroup : IDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    private AnsibleProcessGroup(Process process)
    {
        Process = process;
        GroupId = process.Id;
    }

    public Process Process { get; }

    /// <summary>The process group (and session) id: the leader's PID.</summary>
    public int GroupId { get; }

    public static AnsibleProcessGroup Start(string setsidPath, string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(setsidPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Processes.ProcessLauncher.Start(info);
        process.StandardInput.Close();
        return new AnsibleProcessGroup(process);
    }

    /// <summary>Whether any process of the group is still alive (Linux: read from /proc).</summary>
    public bool HasMembers() => Members(GroupId).Count > 0;

    /// <summary>
    /// Stops the whole group: SIGTERM, then SIGKILL to whatever is left after the grace. The group is signalled
    /// only while it still has members, so a recycled id is never hit.
    /// </summary>
    public async Task StopAsync(TimeSpan grace, TimeProvider time)
    {
        Signal(SigTerm);
        using var limit = new CancellationTokenSource(grace, time);
        try
        {
            await Process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // Workers may outlive the controller for a moment; give them the rest of the grace, then kill.
        var clock = time.GetTimestamp();
        while (HasMembers() && time.GetElapsedTime(clock) < grace / 2)
        {
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }

        KillRemaining();
        await Process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>SIGKILL to the group if anything of it is left (after the leader exited on its own, normally nothing is).</summary>
    public void KillRemaining()
    {
        if (HasMembers())
        {
            Signal(SigKill);
        }
    }

    public void Dispose() => Process.Dispose();

    /// <summary>SIGTERM to one process; 0 when it was sent.</summary>
    internal static int Terminate(int pid) => Kill(pid, SigTerm);

    private void Signal(int signal)
    {
        if (!HasMembers())
        {
            return;
        }

        if (Kill(-GroupId, signal) != 0)
        {
            // ESRCH: the group ended between the check and the signal.
            return;
        }
    }

    /// <summary>Processes whose process group is <paramref name="groupId"/>.</summary>
    internal static List<int> Members(int groupId)
    {
        var members = new List<int>();
        if (!OperatingSystem.IsLinux())
        {
            return members;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(System.IO.Path.Combine(directory, "stat"));
                // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields.Length > 2 && fields[0] != "Z" && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var group) && group == groupId)
                {
                    members.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while being read.
            }
        }

        return members;
    }

    // A plain blittable import: LibraryImport would need unsafe code in the project for no gain here.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
