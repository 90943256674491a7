using System.Diagnostics;
using ChildProgram = NodeOps.OrchestrationTestHost.Program;

namespace NodeOps.Tests.Orchestration;

/// <summary>
/// An orchestration worker in its own OS process (NodeOps.OrchestrationTestHost) on a given store. Kill sends it
/// SIGKILL by its PID, as a crash would; Dispose closes its input (a clean stop) and kills whatever is left.
/// </summary>
public sealed class OrchestrationChildProcess : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;

    private OrchestrationChildProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public static async Task<OrchestrationChildProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(ChildProgram).Assembly.Location);
        foreach (var (key, value) in settings)
        {
            // Settings travel in the environment, not on the command line, so the connection string stays out of ps.
            start.Environment[ChildProgram.EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the orchestration child did not start");
        var child = new OrchestrationChildProcess(process);
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        try
        {
            using var timeout = new CancellationTokenSource(ReadyTimeout);
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line == ChildProgram.ReadyLine)
                {
                    return child;
                }
            }

            throw new InvalidOperationException($"the orchestration child exited before it was ready ({(process.HasExited ? process.ExitCode : -1)})");
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    /// <summary>kill -9: no shutdown code runs, leases stay held until they expire.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(10_000))
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(10_000);
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }
}
