using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace NodeOps.Processes;

/// <summary>
/// Runs a short-lived local program (a syntax checker, the assistant's kubectl and bash) to completion
/// with a timeout and capped output. When the time is up or the caller cancels, the whole process tree is killed,
/// so nothing is left running. Output is decoded as UTF-8, invalid bytes replaced.
/// Long-running, streamed processes (the SSH and Ansible runners) manage their own process groups instead.
/// </summary>
internal static class BoundedProcess
{
    // After the exit or the kill, the pipes close when the tree is gone; a grandchild holding them open is not waited for longer.
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <exception cref="FileNotFoundException">The program could not be started (not installed, not executable).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled; the process tree has been killed.</exception>
    public static async Task<BoundedProcessResult> RunAsync(BoundedProcessStart start, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(time);
        using var process = new Process { StartInfo = StartInfo(start) };
        var started = time.GetTimestamp();
        try
        {
            ProcessLauncher.Start(process);
        }
        catch (Win32Exception ex)
        {
            throw new FileNotFoundException($"{start.FileName} could not be started: {ex.Message}", start.FileName, ex);
        }

        using var timeoutSource = new CancellationTokenSource(start.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        var stdout = new CappedText(start.OutputLimitBytes);
        var stderr = new CappedText(start.OutputLimitBytes);
        var readOut = PumpAsync(process.StandardOutput, stdout);
        var readErr = PumpAsync(process.StandardError, stderr);
        var timedOut = false;
        try
        {
            await WriteStdinAsync(process, start.Stdin, linked.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            timedOut = true;
        }

        var drained = Task.WhenAll(readOut, readErr, process.WaitForExitAsync(CancellationToken.None));
        await Task.WhenAny(drained, Task.Delay(DrainGrace, time, CancellationToken.None)).ConfigureAwait(false);
        var exitCode = !timedOut && process.HasExited ? process.ExitCode : -1;
        return new BoundedProcessResult(exitCode, stdout.ToString(), stderr.ToString(), timedOut, stdout.Truncated || stderr.Truncated, time.GetElapsedTime(started));
    }

    /// <summary>The system's folders for programs, the PATH a sandboxed program gets.</summary>
    public const string SystemPath = "/usr/local/bin:/usr/bin:/bin";

    /// <summary>Finds a program on PATH, or null.</summary>

    /// <param name="path">Where to look; the server's own PATH when null.</param>
    public static string? FindOnPath(string name, string? path = null)
    {
        path ??= System.Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static ProcessStartInfo StartInfo(BoundedProcessStart start)
    {
        ArgumentNullException.ThrowIfNull(start.Arguments);
        var info = new ProcessStartInfo(start.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            WorkingDirectory = start.WorkingDirectory ?? "",
        };
        foreach (var argument in start.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (!start.InheritEnvironment)
        {
            info.Environment.Clear();
        }

        foreach (var (name, value) in start.Environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return info;
    }

    private static async Task WriteStdinAsync(Process process, string? stdin, CancellationToken cancellationToken)
    {
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program stopped reading early (a checker that found an error); its exit code and message say why.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }
    }

    private static async Task PumpAsync(StreamReader reader, CappedText text)
    {
        var chunk = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(chunk.AsMemory(), CancellationToken.None).ConfigureAwait(false)) > 0)
        {
            text.Append(chunk.AsSpan(0, read));
        }
    }

    /// <summary>Keeps the first bytes up to the cap and drops the rest; reading continues so the program never blocks.</summary>
    private sealed class CappedText(int limitBytes)
    {
        private readonly StringBuilder _text = new();
        private int _bytes;

        public bool Truncated { get; private set; }

        public void Append(ReadOnlySpan<char> chars)
        {
            lock (_text)
            {
                if (Truncated)
                {
                    return;
                }

                var size = Utf8.GetByteCount(chars);
                if (_bytes + size <= limitBytes)
                {
                    _text.Append(chars);
                    _bytes += size;
                    return;
                }

                var room = Math.Max(0, limitBytes - _bytes);
                var take = Math.Min(chars.Length, room);
                while (take > 0 && Utf8.GetByteCount(chars[..take]) > room)
                {
                    take--;
                }

                _text.Append(chars[..take]);
                _bytes = limitBytes;
                Truncated = true;
            }
        }

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }
}
