using System.Diagnostics;
using System.Globalization;
using System.Text;
using NodeOps.Processes;

namespace NodeOps.Tests.Processes;

public sealed class BoundedProcessTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Run_WithStdin_FeedsItAndCapturesUtf8Output()
    {
        var start = new BoundedProcessStart("/bin/cat", [], Generous) { Stdin = "héllo 世界\n" };

        var result = await BoundedProcess.RunAsync(start, TimeProvider.System);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("héllo 世界\n", result.Stdout);
        Assert.False(result.TimedOut);
        Assert.False(result.Truncated);
    }

    [Fact]
    public async Task Run_WithoutInheritedEnvironment_PassesOnlyTheGivenVariables()
    {
        var start = new BoundedProcessStart("/usr/bin/env", [], Generous)
        {
            InheritEnvironment = false,
            Environment = new Dictionary<string, string?> { ["ONLY_THIS"] = "1" },
        };

        var result = await BoundedProcess.RunAsync(start, TimeProvider.System);

        Assert.Equal("ONLY_THIS=1", result.Stdout.Trim());
    }

    [Fact]
    public async Task Run_OutputOverTheCap_KeepsWholeCharactersUpToTheByteCapAndFlagsTruncated()
    {
        // 3000 two-byte characters, far over a 101-byte cap that falls inside a character.
        var start = new BoundedProcessStart("/usr/bin/python3", ["-c", "import sys; sys.stdout.write('é' * 3000)"], Generous) { OutputLimitBytes = 101 };

        var result = await BoundedProcess.RunAsync(start, TimeProvider.System);

        Assert.Equal(0, result.ExitCode);
        Assert.True(result.Truncated);
        Assert.Equal(new string('é', 50), result.Stdout);
    }

    [Fact]
    public async Task Run_PastTheTimeout_KillsTheWholeTreeAndReportsTimedOut()
    {
        // The shell starts a grandchild and prints its pid; both must be gone after the timeout.
        var start = new BoundedProcessStart("/bin/bash", ["-c", "sleep 60 & echo $!; wait"], TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        var result = await BoundedProcess.RunAsync(start, TimeProvider.System);

        Assert.True(result.TimedOut);
        Assert.Equal(-1, result.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        var grandchild = int.Parse(result.Stdout.Trim(), CultureInfo.InvariantCulture);
        Assert.True(await GoneWithinAsync(grandchild, TimeSpan.FromSeconds(10)), $"pid {grandchild} still running");
    }

    [Fact]
    public async Task Run_CallerCancels_ThrowsAndKillsTheProcess()
    {
        var folder = Directory.CreateTempSubdirectory("nodeops-bounded-");
        try
        {
            var pidFile = Path.Combine(folder.FullName, "pid");
            var start = new BoundedProcessStart("/bin/bash", ["-c", $"echo $$ > '{pidFile}'; sleep 60"], Generous);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BoundedProcess.RunAsync(start, TimeProvider.System, cancel.Token));

            var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture);
            Assert.True(await GoneWithinAsync(pid, TimeSpan.FromSeconds(10)), $"pid {pid} still running");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Run_ProgramThatCannotStart_ThrowsFileNotFound()
    {
        var start = new BoundedProcessStart("/nonexistent/nodeops-no-such-tool", [], Generous);

        await Assert.ThrowsAsync<FileNotFoundException>(() => BoundedProcess.RunAsync(start, TimeProvider.System));
    }

    private static async Task<bool> GoneWithinAsync(int pid, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        for (var attempt = 0; attempt < 200 && deadline.Elapsed < limit; attempt++)
        {
            if (!Running(pid))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return !Running(pid);
    }

    // A killed child re-parented to init may linger as a zombie for a moment; it no longer runs.
    private static bool Running(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return false;
        }

        try
        {
            return !File.ReadAllLines(status, Encoding.UTF8).Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains("zombie", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }
}
