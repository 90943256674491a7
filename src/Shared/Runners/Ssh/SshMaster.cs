using System.Diagnostics;
using System.Text;

namespace NodeOps.Runners.Ssh;

/// <summary>
/// One ControlMaster connection, owned as a child process. Its stdin is a pipe from NodeOps and the remote side
/// waits on it ("read"), so the master ends when NodeOps closes the pipe, and also when NodeOps dies: a crashed
/// instance leaves no connection behind. Commands reach the node through its control socket without
/// authenticating again.
/// </summary>
internal sealed class SshMaster
{
    private readonly Process _process;
    private readonly Task _stderrReader;
    private readonly Task _stdoutDrain;

    private SshMaster(Process process, string controlPath, Task stderrReader, Task stdoutDrain)
    {
        _process = process;
        ControlPath = controlPath;
        _stderrReader = stderrReader;
        _stdoutDrain = stdoutDrain;
    }

    public string ControlPath { get; }

    /// <summary>The host key fingerprint this connection verified.</summary>
    public string Fingerprint { get; set; } = "";

    private int _inUse;

    /// <summary>Commands using this master right now.</summary>
    public int InUse => Volatile.Read(ref _inUse);

    public void AddUser() => Interlocked.Increment(ref _inUse);

    public void RemoveUser() => Interlocked.Decrement(ref _inUse);

    public long LastUsedTimestamp { get; set; }

    public bool IsAlive => !_process.HasExited && File.Exists(ControlPath);

    /// <summary>
    /// Starts a master and waits until its control socket exists, which OpenSSH creates only after the host key was
    /// verified and authentication succeeded. Throws <see cref="SshConnectException"/> on failure.
    /// </summary>
    public static async Task<SshMaster> StartAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? environment,
        string controlPath,
        TimeSpan connectDeadline,
        Func<Process, string, SshConnectException> classifyFailure,
        CancellationToken cancellationToken)
    {
        var process = SshProcesses.Start(fileName, arguments, environment);
        var stderr = new StringBuilder();
        var stderrTask = ReadCappedAsync(process.StandardError, stderr);
        var stdoutDrain = DrainAsync(process.StandardOutput.BaseStream);
        var deadline = Stopwatch.StartNew();
        var delay = 2;
        try
        {
            while (!File.Exists(controlPath))
            {
                if (process.HasExited)
                {
                    await Task.WhenAny(stderrTask, Task.Delay(1000, CancellationToken.None)).ConfigureAwait(false);
                    string text;
                    lock (stderr)
                    {
                        text = stderr.ToString();
                    }

                    throw classifyFailure(process, text);
                }

                if (deadline.Elapsed > connectDeadline)
                {
                    throw new SshConnectException(SshRunOutcome.ConnectionFailed, SshRunResult.ConnectionFailedCode, "连接超时");
                }

                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 25);
            }
        }
        catch
        {
            SshProcesses.Kill(process);
            process.Dispose();
            throw;
        }

        return new SshMaster(process, controlPath, stderrTask, stdoutDrain);
    }

    /// <summary>
    /// Closes the master: closing its stdin ends the remote "read", and the master exits once the commands still
    /// using it are done; a master that does not go within the grace is killed.
    /// </summary>
    public async Task CloseAsync(TimeSpan grace)
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            SshProcesses.Kill(_process);
        }

        await Task.WhenAny(Task.WhenAll(_stderrReader, _stdoutDrain), Task.Delay(1000, CancellationToken.None)).ConfigureAwait(false);
        _process.Dispose();
        TryDelete(ControlPath);
    }

    /// <summary>Kills the master at once (shutdown, or a connection that is no longer trusted).</summary>
    public void Kill()
    {
        SshProcesses.Kill(_process);
        TryDelete(ControlPath);
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task DrainAsync(Stream stream)
    {
        try
        {
            await stream.CopyToAsync(Stream.Null).ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static async Task ReadCappedAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[1024];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                lock (into)
                {
                    if (into.Length < 16 * 1024)
                    {
                        into.Append(buffer, 0, read);
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
