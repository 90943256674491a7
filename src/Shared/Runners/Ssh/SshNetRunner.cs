using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace NodeOps.Runners.Ssh;

/// <summary>
/// The node transport over SSH.NET: each command is a channel on the node's pooled connection. Output is captured
/// per stream and capped (the tail is kept). Timeout and cancellation signal the remote process group, TERM then
/// KILL, over a second channel of the same connection; only then is the command's own channel cancelled, and the
/// connection is never closed under it. A pooled connection that turns out dropped before the command started is
/// reopened once.
/// </summary>
internal sealed class SshNetRunner(SshConnectionPool pool, IOptions<SshOptions> options, TimeProvider time, ILogger<SshNetRunner> logger) : ISshRunner
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan LastPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StopCommandLimit = TimeSpan.FromSeconds(10);

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
                return Stopped(timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested, null, started, null);
            }

            using (lease)
            {
                var result = await RunOnceAsync(request, lease.Connection.Client, started, timeout.Token, cancellationToken).ConfigureAwait(false);
                // A connection that dropped before the command reported in: the command never started, so one retry is safe.
                if (result.Outcome == SshRunOutcome.ConnectionFailed && result.RemoteProcessGroup is null && attempt == 0)
                {
                    Log.ConnectionLost(logger, request.Target.ClusterName, request.Target.NodeName);
                    pool.Invalidate(lease);
                    continue;
                }

                if (result.Outcome == SshRunOutcome.ConnectionFailed)
                {
                    pool.Invalidate(lease);
                }

                return result;
            }
        }
    }

    private async Task<SshRunResult> RunOnceAsync(SshRunRequest request, SshClient client, long started, CancellationToken timeoutToken, CancellationToken stopToken)
    {
        var group = new GroupReport(request.OnRemoteStarted);
        var output = new CommandOutput(request.OutputLimitBytes, group);
        using var command = client.CreateCommand(request.Invocation.Command, Encoding.UTF8);
        // Cancelling this token is the last step of a stop, after the remote group was signalled.
        using var channelStop = new CancellationTokenSource();
        Task execution;
        try
        {
            execution = command.ExecuteAsync(channelStop.Token);
            await SendInputAsync(command, execution, request.Invocation.StandardInput).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionLoss(ex))
        {
            return ConnectionLost(ex, output, started, null);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeoutToken, stopToken);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = stop.Token.Register(() => stopped.TrySetResult());
        var poll = FirstPoll;
        while (!execution.IsCompleted && !stop.IsCancellationRequested)
        {
            poll = output.Drain(command, final: false) ? FirstPoll : TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, LastPoll.Ticks));
            await Task.WhenAny(execution, stopped.Task, Task.Delay(poll, time)).ConfigureAwait(false);
        }

        var stopping = !execution.IsCompleted;
        if (stopping)
        {
            await StopAsync(request.Target, client, command, execution, output, group, channelStop).ConfigureAwait(false);
        }

        try
        {
            await execution.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (channelStop.IsCancellationRequested)
        {
            // The channel was cancelled after the group was signalled; the outcome is the stop.
        }
        catch (Exception ex) when (IsConnectionLoss(ex))
        {
            output.Drain(command, final: true);
            return ConnectionLost(ex, output, started, group.Value);
        }

        output.Drain(command, final: true);
        if (stopping)
        {
            return Stopped(timeoutToken.IsCancellationRequested && !stopToken.IsCancellationRequested, output, started, group.Value);
        }

        var duration = time.GetElapsedTime(started);
        if (command.ExitStatus is { } exitCode)
        {
            return new SshRunResult(SshRunOutcome.Exited, exitCode, output.Stdout.Decode(), output.Stderr.Decode(), output.Truncated, duration, group.Value);
        }

        var signal = command.ExitSignal;
        return new SshRunResult(SshRunOutcome.Exited, null, output.Stdout.Decode(), output.Stderr.Decode(), output.Truncated, duration, group.Value,
            signal is null ? "远程命令结束，但节点未报告退出码" : $"远程命令被信号 SIG{signal} 终止", ExitSignal: signal);
    }

    /// <summary>
    /// Stops a running command: waits a bounded moment for the group report if it is still in flight, signals the
    /// group over a second channel (TERM, a grace, KILL), gives the command the grace to end, and only then cancels
    /// its channel, so the connection is never torn down under it.
    /// </summary>
    private async Task StopAsync(SshTarget target, SshClient client, SshCommand command, Task execution, CommandOutput output, GroupReport group, CancellationTokenSource channelStop)
    {
        var grace = options.Value.StopGrace;
        // Output that arrived before the stop is the command's: take it before anything can end the channel.
        output.Drain(command, final: false);
        var waited = time.GetTimestamp();
        while (group.Value is null && !execution.IsCompleted && time.GetElapsedTime(waited) < grace)
        {
            output.Drain(command, final: false);
            if (group.Value is null)
            {
                await Task.WhenAny(execution, Task.Delay(TimeSpan.FromMilliseconds(20), time)).ConfigureAwait(false);
            }
        }

        if (group.Value is { } pgid && !execution.IsCompleted)
        {
            await SignalGroupAsync(target, client, pgid).ConfigureAwait(false);
            await Task.WhenAny(execution, Task.Delay(grace, time)).ConfigureAwait(false);
        }

        if (!execution.IsCompleted)
        {
            // Cancelling the channel may drop what SSH.NET still buffers for it.
            output.Drain(command, final: false);
            await channelStop.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task SignalGroupAsync(SshTarget target, SshClient client, int pgid)
    {
        try
        {
            using var stopper = client.CreateCommand(RemoteInvocation.ForStopGroup(pgid).Command);
            using var limit = new CancellationTokenSource(StopCommandLimit, time);
            await stopper.ExecuteAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException || IsConnectionLoss(ex))
        {
            Log.StopFailed(logger, pgid, target.ClusterName, target.NodeName, ex.GetType().Name);
        }
    }

    /// <summary>
    /// Sends the script (if any) and then end-of-file, as `ssh -n` would: a command reading stdin sees EOF, not a hang.
    /// A command can be over before or while its input is sent (a quick one, or a script that exits early); it read
    /// no more input, and its exit status tells the story.
    /// Failures here are never counted as a lost connection, which would retry a command that may have run.
    /// </summary>
    private static async Task SendInputAsync(SshCommand command, Task execution, string? input)
    {
        try
        {
            var stream = command.CreateInputStream();
            await using (stream.ConfigureAwait(false))
            {
                if (input is not null)
                {
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(input)).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or SshException or IOException)
        {
            // Not a verdict on the run: should the connection be gone, awaiting the command says so.
        }
    }

    private static bool IsConnectionLoss(Exception ex) => ex is SshException or SocketException or IOException or ObjectDisposedException;

    private SshRunResult ConnectionLost(Exception ex, CommandOutput output, long started, int? group)
    {
        var reason = ex.Message.Length > 200 ? ex.Message[..200] : ex.Message;
        return new SshRunResult(SshRunOutcome.ConnectionFailed, null, output.Stdout.Decode(), output.Stderr.Decode(), output.Truncated, time.GetElapsedTime(started), group,
            "SSH 连接中断: " + reason, SshRunResult.ConnectionFailedCode);
    }

    private SshRunResult Stopped(bool timedOut, CommandOutput? output, long started, int? group) =>
        new(timedOut ? SshRunOutcome.TimedOut : SshRunOutcome.Stopped, null, output?.Stdout.Decode() ?? "", output?.Stderr.Decode() ?? "", output?.Truncated ?? false,
            time.GetElapsedTime(started), group, timedOut ? "执行超时，已终止远程进程" : "已停止，远程进程已终止");
}
