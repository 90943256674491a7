using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace NodeOps.Assistant;

/// <summary>
/// Runs one tool process with a timeout and an output cap. The process gets no stdin; its whole tree is killed on
/// timeout or when the caller cancels, so a disconnected client leaves nothing running.
/// </summary>
internal static class ToolProcess
{
    public static async Task<ToolRunResult> RunAsync(ProcessStartInfo start, TimeSpan timeout, int outputLimitBytes, TimeProvider time, CancellationToken cancellationToken)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        start.StandardOutputEncoding = Encoding.UTF8;
        start.StandardErrorEncoding = Encoding.UTF8;
        var started = time.GetTimestamp();
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new ToolUnavailableException($"{Path.GetFileName(start.FileName)} 无法启动：{ex.Message}", ex);
        }

        process.StandardInput.Close();
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        var stdout = new CappedBuffer(outputLimitBytes);
        var stderr = new CappedBuffer(outputLimitBytes);
        var readOut = PumpAsync(process.StandardOutput, stdout);
        var readErr = PumpAsync(process.StandardError, stderr);
        var timedOut = false;
        try
        {
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

        // The pipes close when the process tree is gone; a grandchild keeping them open is bounded by a short wait.
        await Task.WhenAny(Task.WhenAll(readOut, readErr), Task.Delay(TimeSpan.FromSeconds(2), time, CancellationToken.None)).ConfigureAwait(false);
        var exitCode = process.HasExited ? process.ExitCode : -1;
        return new ToolRunResult(timedOut ? -1 : exitCode, stdout.ToString(), stderr.ToString(), timedOut, stdout.Truncated || stderr.Truncated, time.GetElapsedTime(started));
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static async Task PumpAsync(StreamReader reader, CappedBuffer buffer)
    {
        var chunk = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(chunk.AsMemory()).ConfigureAwait(false)) > 0)
        {
            buffer.Append(chunk.AsSpan(0, read));
        }
    }

    /// <summary>Keeps the first bytes up to the cap and counts the rest as dropped; reading continues so the child never blocks.</summary>
    private sealed class CappedBuffer(int limitBytes)
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

                var size = Encoding.UTF8.GetByteCount(chars);
                if (_bytes + size <= limitBytes)
                {
                    _text.Append(chars);
                    _bytes += size;
                    return;
                }

                var room = Math.Max(0, limitBytes - _bytes);
                var take = Math.Min(chars.Length, room);
                while (take > 0 && Encoding.UTF8.GetByteCount(chars[..take]) > room)
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
