using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodeOps.Processes;
using NodeOps.Sandbox;

namespace NodeOps.Tests.Processes;

public sealed class ProcessLauncherTests
{
    [Fact]
    public async Task Start_FromThreadsThatEndAtOnce_SandboxesSurviveThoseThreads()
    {
        using var sandbox = new ProcessSandbox(Options.Create(new SandboxOptions()), TimeProvider.System, NullLogger<ProcessSandbox>.Instance);
        var folder = Directory.CreateTempSubdirectory("nodeops-launcher-").FullName;
        try
        {
            sandbox.HandOver(folder);
            var command = sandbox.Wrap(new SandboxRequest("/usr/bin/sleep", ["1"], folder));
            var processes = new List<Process>();
            // Each start comes from a thread that ends straight away, as thread-pool threads do when they retire;
            // the parent-death signal bwrap asks for must not follow those threads.
            for (var i = 0; i < 12; i++)
            {
                var thread = new Thread(() =>
                {
                    var info = new ProcessStartInfo(command.FileName) { UseShellExecute = false, RedirectStandardError = true };
                    foreach (var argument in command.Arguments)
                    {
                        info.ArgumentList.Add(argument);
                    }

                    lock (processes)
                    {
                        processes.Add(ProcessLauncher.Start(info));
                    }
                });
                thread.Start();
                thread.Join();
            }

            foreach (var process in processes)
            {
                using (process)
                {
                    using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    await process.WaitForExitAsync(limit.Token);
                    Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await process.StandardError.ReadToEndAsync(limit.Token)}");
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
