using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NodeOps.Runners.Ssh;

/// <summary>
/// The node transport over the OpenSSH client: each command is a short-lived ssh process multiplexed over the
/// node's pooled master. Output is captured separately per stream and capped (the tail is kept). Timeout and
/// cancellation signal the remote process group over a second multiplexed session, then end the local client.
/// </summary>
internal sealed class OpenSshRunner(SshConnectionPool pool, IOptions<SshOptions> options, TimeProvider time, ILogger<OpenSshRunner> logger) : ISshRunner
{
    private static readonly byte[] Marker = Encoding.ASCII.GetBytes(RemoteInvocation.PgidMarker);

    public async Task<SshRunResult> RunAsync(SshRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        using var timeout = new CancellationTokenSource(request.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        for (var attempt = 0; ; attempt++)
        {
            SshConnectionPool.Lease lease;
            try
            {
                lease = await pool.AcquireAsync(request.Target, linked.Token).ConfigureAwait(false);
            }
            catch (SshConnectException ex)
            {
                return new SshRunResult(ex.Outcome, null, "", "", false, time.GetElapsedTime(started), null, ex.Message, ex.ErrorCode);
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                return Stopped(timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested, "", "", false, started, null);
            }

            using (lease)
            {
                var result = await RunOnceAsync(request, lease, started, timeout.Token, cancellationToken).ConfigureAwait(false);
                // A master that died between acquire and use: the command never reached the node, so one retry is safe.
                if (result.Outcome == SshRunOutcome.ConnectionFailed && result.RemoteProcessGroup is null && attempt == 0 && !lease.Master.IsAlive)
                {
                    Log.MasterLost(logger, request.Target.ClusterName, request.Target.NodeName);
                    pool.Invalidate(lease);
                    continue;
                }

                return result;
            }
        }
    }

    private async Task<SshRunResult> RunOnceAsync(SshRunRequest request, SshConnectionPool.Lease lease, long started, CancellationToken timeoutToken, CancellationToken stopToken)
    {
        var target = request.Target;
        using var process = SshProcesses.Start(options.Value.SshPath, ClientArguments(target, lease.ControlPath, request.Invocation));
        var stdout = new OutputTail(request.OutputLimitBytes);
        var stderr = new OutputTail(request.OutputLimitBytes);
        var group = new GroupReport(request.OnRemoteStarted);
        var stdoutTask = PumpAsync(process.StandardOutput.BaseStream, stdout, null);
        var stderrTask = PumpAsync(process.StandardError.BaseStream, stderr, group);
        var stdinTask = FeedAsync(process, request.Invocation.StandardInput);

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutToken, stopToken);
        var stopped = false;
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            stopped = true;
            await StopAsync(process, lease, target, group).ConfigureAwait(false);
        }

        // The pipes close when ssh exits; bound the wait in case something still holds them.
        await Task.WhenAny(Task.WhenAll(stdoutTask, stderrTask, stdinTask), Task.Delay(TimeSpan.FromSeconds(5), time, CancellationToken.None)).ConfigureAwait(false);
        var truncated = stdout.Truncated || stderr.Truncated;
        if (stopped)
        {
            return Stopped(timeoutToken.IsCancellationRequested && !stopToken.IsCancellationRequested, stdout.Decode(), stderr.Decode(), truncated, started, group.Value);
        }

        var exitCode = process.ExitCode;
        var duration = time.GetElapsedTime(started);
        if (group.Value is null && exitCode == 255)
        {
            // ssh itself failed before the remote shell reported in: the command did not start.
            var text = stderr.Decode();
            var last = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "ssh exited with 255";
            return new SshRunResult(SshRunOutcome.ConnectionFailed, null, stdout.Decode(), text, truncated, duration, null,
                "SSH 连接失败: " + (last.Length > 300 ? last[..300] : last), SshRunResult.ConnectionFailedCode);
        }

        return new SshRunResult(SshRunOutcome.Exited, exitCode, stdout.Decode(), stderr.Decode(), truncated, duration, group.Value);
    }

    /// <summary>
    /// Stops a running command: the remote group gets TERM (then KILL) over a second session on the same master,
    /// and the local client is killed if it has not ended within the grace.
    /// </summary>
    private async Task StopAsync(Process process, SshConnectionPool.Lease lease, SshTarget target, GroupReport group)
    {
        if (group.Value is null)
        {
            // The remote shell reports its group before anything else, but on a busy machine that line may still be
            // in flight. Killing the client now would orphan the remote command (no tty, so no SIGHUP reaches it):
            // give the report a bounded moment to arrive.
            await Task.WhenAny(group.Settled, process.WaitForExitAsync(CancellationToken.None), Task.Delay(options.Value.StopGrace, time)).ConfigureAwait(false);
        }

        if (group.Value is { } pgid)
        {
            try
            {
                using var stopper = SshProcesses.Start(options.Value.SshPath, ClientArguments(target, lease.ControlPath, RemoteInvocation.ForStopGroup(pgid)));
                stopper.StandardInput.Close();
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10), time);
                var stopperOut = stopper.StandardOutput.ReadToEndAsync(limit.Token);
                var stopperErr = stopper.StandardError.ReadToEndAsync(limit.Token);
                await stopper.WaitForExitAsync(limit.Token).ConfigureAwait(false);
                await Task.WhenAll(stopperOut, stopperErr).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
            {
                Log.StopFailed(logger, pgid, target.ClusterName, target.NodeName, ex.GetType().Name);
            }
        }

        using var grace = new CancellationTokenSource(group.Value is null ? TimeSpan.Zero : options.Value.StopGrace, time);
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            SshProcesses.Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private SshRunResult Stopped(bool timedOut, string stdout, string stderr, bool truncated, long started, int? group) =>
        new(timedOut ? SshRunOutcome.TimedOut : SshRunOutcome.Stopped, null, stdout, stderr, truncated, time.GetElapsedTime(started), group,
            timedOut ? "执行超时，已终止远程进程" : "已停止，远程进程已终止");

    private List<string> ClientArguments(SshTarget target, string controlPath, RemoteInvocation invocation)
    {
        // Commands ride on the master. Should the master be gone, ssh would try a direct connection; these options
        // make that attempt fail at host-key verification, before anything reaches the node.
        var arguments = new List<string>(SshProcesses.CommonOptions(options.Value))
        {
            "-S", controlPath,
            "-o", "ControlMaster=no",
            "-o", "BatchMode=yes",
            "-o", "UserKnownHostsFile=/dev/null",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "PasswordAuthentication=no",
            "-o", "KbdInteractiveAuthentication=no",
            "-o", "PubkeyAuthentication=no",
        };
        if (invocation.StandardInput is null)
        {
            arguments.Add("-n");
        }

        arguments.AddRange(["-p", target.Port.ToString(CultureInfo.InvariantCulture), "-l", target.Credential.Username, "--", target.Address, invocation.Command]);
        return arguments;
    }

    private static async Task FeedAsync(Process process, string? input)
    {
        try
        {
            if (input is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(input);
                await process.StandardInput.BaseStream.WriteAsync(bytes).ConfigureAwait(false);
                await process.StandardInput.BaseStream.FlushAsync().ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The remote side stopped reading (it exited early); its exit status tells the story.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static async Task PumpAsync(Stream stream, OutputTail tail, GroupReport? group)
    {
        var buffer = new byte[16 * 1024];
        // Until the group report arrives, stderr is held back so the report line can be cut out. Login scripts
        // on the node may print before it, so it is looked for on any line within the first MaxHead bytes.
        var head = group is null ? null : new List<byte>(256);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                if (head is null)
                {
                    tail.Append(buffer.AsSpan(0, read));
                    continue;
                }

                head.AddRange(buffer.AsSpan(0, read));
                if (group!.TryCut(head, final: false, out var cut))
                {
                    tail.Append(cut);
                    head = null;
                }
            }

            if (head is not null)
            {
                group!.TryCut(head, final: true, out var rest);
                tail.Append(rest);
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>The remote process group, as the invocation reports it on a stderr line of its own.</summary>
    private sealed class GroupReport(Action<int>? onReported)
    {
        private const int MaxHead = 64 * 1024;
        private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _value = -1;

        public int? Value => Volatile.Read(ref _value) is var v && v > 0 ? v : null;

        /// <summary>Completes when the report was read, or when it is known that none will come.</summary>
        public Task Settled => _settled.Task;

        /// <summary>
        /// Looks for the report line among the complete lines held so far. When found (or when no more can come,
        /// or the head is too long to wait for it), returns true with the stderr bytes minus the report line.
        /// </summary>
        public bool TryCut(List<byte> head, bool final, out byte[] rest)
        {
            var bytes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(head);
            var lineStart = 0;
            while (lineStart < bytes.Length)
            {
                var newline = bytes[lineStart..].IndexOf((byte)'\n');
                if (newline < 0)
                {
                    break;
                }

                var line = bytes.Slice(lineStart, newline);
                if (line.StartsWith(Marker)
                    && int.TryParse(Encoding.ASCII.GetString(line[Marker.Length..]), NumberStyles.None, CultureInfo.InvariantCulture, out var pgid)
                    && pgid > 1)
                {
                    Volatile.Write(ref _value, pgid);
                    onReported?.Invoke(pgid);
                    _settled.TrySetResult();
                    rest = [.. bytes[..lineStart], .. bytes[(lineStart + newline + 1)..]];
                    return true;
                }

                lineStart += newline + 1;
            }

            if (final || head.Count > MaxHead)
            {
                _settled.TrySetResult();
                rest = head.ToArray();
                return true;
            }

            rest = [];
            return false;
        }
    }
}
