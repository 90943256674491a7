using System.Collections.Concurrent;
using System.Diagnostics;

namespace NodeOps.Processes;

/// <summary>
/// Starts child processes from one thread that lives as long as NodeOps. Linux sends a child its parent-death
/// signal when the *thread* that forked it ends, and the sandbox relies on that signal (bwrap --die-with-parent)
/// so nothing outlives NodeOps; started from a thread-pool thread, a sandbox would be killed when that thread
/// retires. The start itself is quick, so callers simply wait for it.
/// </summary>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<(Action Start, TaskCompletionSource Done)> Requests = [];

    static ProcessLauncher()
    {
        new Thread(Run) { IsBackground = true, Name = "nodeops-process-launcher" }.Start();
    }

    /// <summary>Starts <paramref name="process"/> (its StartInfo set) from the launcher thread.</summary>
    public static void Start(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        Launch(() => process.Start());
    }

    /// <summary>Starts a process for <paramref name="info"/> from the launcher thread.</summary>
    public static Process Start(ProcessStartInfo info)
    {
        var process = new Process { StartInfo = info };
        try
        {
            Start(process);
            return process;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    private static void Launch(Action start)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((start, done));
        done.Task.GetAwaiter().GetResult();
    }

    private static void Run()
    {
        foreach (var (start, done) in Requests.GetConsumingEnumerable())
        {
            try
            {
                start();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }
    }
}
