using System.Diagnostics;
using NodeOps.Runners.Ssh;

namespace NodeOps.Tests.Runners;

/// <summary>The remote command lines, run by a real local shell exactly as sshd would run them.</summary>
public sealed class RemoteInvocationTests
{
    [Theory]
    [InlineData("$(echo injected)")]
    [InlineData("`echo injected`")]
    [InlineData("it's; echo injected")]
    [InlineData("a\nb\tc \\ \" '' $HOME")]
    public async Task ForScript_ParameterValues_ArriveLiterally(string value)
    {
        var invocation = RemoteInvocation.ForScript("shell", "printf '%s' \"$VALUE\"", new Dictionary<string, string> { ["VALUE"] = value });

        var (stdout, stderr, exit) = await RunAsync(invocation);

        Assert.Equal(0, exit);
        Assert.Equal(value, stdout);
        Assert.Matches("^NODEOPS-PGID:[0-9]+\n$", stderr);
    }

    [Fact]
    public async Task ForCommand_ReportsItsProcessGroupThenRunsInIt()
    {
        var (stdout, stderr, _) = await RunAsync(RemoteInvocation.ForCommand("ps -o pgid= -p $$"));

        Assert.Equal(stderr.Trim()["NODEOPS-PGID:".Length..], stdout.Trim());
    }

    [Fact]
    public void ForScript_ParameterNameThatIsNotAnIdentifier_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => RemoteInvocation.ForScript("shell", "true", new Dictionary<string, string> { ["A=B"] = "x" }));
    }

    private static async Task<(string Stdout, string Stderr, int Exit)> RunAsync(RemoteInvocation invocation)
    {
        // sshd runs the command with "$SHELL -c" in a new session: setsid gives the same process-group shape here.
        var start = new ProcessStartInfo("setsid") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "bash", "-c", invocation.Command })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SHELL"] = "/bin/bash";
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(invocation.StandardInput ?? "");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (await stdout, await stderr, process.ExitCode);
    }
}
