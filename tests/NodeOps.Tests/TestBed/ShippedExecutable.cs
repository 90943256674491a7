using System.Diagnostics;
using System.Text;

namespace NodeOps.Tests.TestBed;

/// <summary>
/// The shipped executable itself (NodeOps.Functions.dll, through its own Program.cs) as a separate OS process, in a
/// working folder of the test's, with the arguments and environment a user would give it. Used where the entry
/// point is what is under test: listen-address settings and the admin command. Dispose kills a server left running.
/// </summary>
public sealed class ShippedExecutable : IDisposable
{
    private readonly StringBuilder _output = new();

    private ShippedExecutable(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>What the process wrote to standard output and error so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server and waits until it answers at <paramref name="expected"/>.</summary>
    public static async Task<ShippedExecutable> StartServerAsync(string folder, Uri expected, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var server = Start(folder, arguments, environment);
        try
        {
            await ChildHostProcess.WaitUntilAnsweringAsync(server.Process, expected);
            return server;
        }
        catch
        {
            var output = server.Output;
            server.Dispose();
            throw new InvalidOperationException("the server did not answer at " + expected + ":\n" + output);
        }
    }

    /// <summary>Runs a command (such as the admin verb) to its end; a run longer than the timeout is killed and fails.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string folder, IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var run = Start(folder, arguments, null);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await run.Process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the command did not end within {timeout}:\n{run.Output}");
        }

        run.Process.WaitForExit(); // lets the asynchronous output readers finish
        return (run.Process.ExitCode, run.Output);
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        Process.Dispose();
    }

    private static ShippedExecutable Start(string folder, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NodeOps.Functions.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test runner's own listen settings (and a Functions host endpoint) must not leak into the child; a test sets what it means to test.
        foreach (var name in new[] { "ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "Functions__Worker__HostEndpoint" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var executable = new ShippedExecutable(process);
        process.OutputDataReceived += (_, e) => executable.Append(e.Data);
        process.ErrorDataReceived += (_, e) => executable.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return executable;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
