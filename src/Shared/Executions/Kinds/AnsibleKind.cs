using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Credentials;
using NodeOps.Errors;
using NodeOps.Features;
using NodeOps.Progress;
using NodeOps.Runners.Ansible;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// The "ansible" kind: one ansible-playbook process for all of an execution's nodes, so one lane ("run").
/// It waits for a slot under max_concurrent (pending meanwhile), claims every node before the playbook starts
/// (at most once: a run whose instance died finds its nodes claimed and they become interrupted, never re-run),
/// follows the run through the callback plugin's events, and records each node's result from the playbook's
/// recap. Output and per-host state are written as the run goes, so status reads show it live.
/// </summary>
internal sealed partial class AnsibleKind(
    IAnsibleRunner runner,
    AnsibleRunSlots slots,
    AnsibleRunStore runs,
    ExecutionStore executions,
    CatalogPorts catalog,
    FeatureService features,
    ExecutionInstance instance,
    ExecutionProgressTracker counts,
    IProgressPublisher progress,
    TimeProvider time,
    IOptions<AnsibleOptions> options,
    ILogger<AnsibleKind> logger) : IExecutionHandler
{
    public const string Name = "ansible";
    public const string Lane = "run";

    private readonly ConcurrentDictionary<string, int> _queuePositions = new(StringComparer.Ordinal);

    public string Kind => Name;

    public IReadOnlyList<string> PlanLanes(ExecutionRecord execution) => [Lane];

    /// <summary>max_concurrent holds across instances: every run is admitted through the shared slots.</summary>
    public bool NeedsAdmission => true;

    public async Task<TimeSpan?> AdmitAsync(ExecutionRecord execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var settings = (await features.GetAsync(cancellationToken).ConfigureAwait(false)).Ansible;
        var position = await slots.TryAcquireAsync(execution, settings.MaxConcurrent, instance.Id, cancellationToken).ConfigureAwait(false);
        if (position is not { } place)
        {
            _queuePositions.TryRemove(execution.TaskId, out _);
            return null;
        }

        if (!_queuePositions.TryGetValue(execution.TaskId, out var previous) || previous != place)
        {
            _queuePositions[execution.TaskId] = place;
            progress.Publish(new ProgressEvent
            {
                TaskId = execution.TaskId,
                Type = ProgressEventTypes.Progress,
                Message = $"排队等待: 第 {place} 位 (max_concurrent={settings.MaxConcurrent})",
                Total = execution.TargetNodes.Count,
                Timestamp = time.GetUtcNow(),
                Data = new { kind = Name, status = "pending", queue_position = place, max_concurrent = settings.MaxConcurrent },
            });
        }

        return options.Value.AdmissionRetry;
    }

    public async Task<LaneOutcome> RunAsync(LaneContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var execution = context.Execution;
        _queuePositions.TryRemove(execution.TaskId, out _);
        if (context.IsCancelRequested)
        {
            await slots.ReleaseAsync(execution.TaskId, cancellationToken).ConfigureAwait(false);
            return LaneOutcome.Done;
        }

        var pending = context.Nodes.Where(n => n.Record.Status == NodeStatus.Pending).ToList();
        if (pending.Count > 0 && context.StopClaiming.IsCancellationRequested)
        {
            // This instance is stopping before the playbook started: another one runs it, with the slot still held.
            return LaneOutcome.Again;
        }

        var claimed = await Task.WhenAll(pending.Select(n => context.TryClaimAsync(n, cancellationToken))).ConfigureAwait(false);
        var claims = claimed.OfType<NodeClaim>().ToList();
        if (claims.Count > 0)
        {
            await RunPlaybookAsync(context, claims, cancellationToken).ConfigureAwait(false);
        }

        await slots.ReleaseAsync(execution.TaskId, cancellationToken).ConfigureAwait(false);
        return LaneOutcome.Done;
    }

    private async Task RunPlaybookAsync(LaneContext context, List<NodeClaim> claims, CancellationToken cancellationToken)
    {
        var execution = context.Execution;
        var payload = execution.PayloadAs<AnsiblePayload>();
        var settings = (await features.GetAsync(cancellationToken).ConfigureAwait(false)).Ansible;
        SshCredential credential;
        try
        {
            credential = await catalog.Credentials.GetDecryptedAsync(execution.CredentialId, cancellationToken).ConfigureAwait(false);
        }
        catch (NodeOpsException ex)
        {
            await CompleteAllAsync(context, claims, c => c.Record with { Status = NodeStatus.Failed, ErrorCode = "CREDENTIAL_UNAVAILABLE", Message = "凭据不可用: " + ex.Message }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var hosts = claims.Select(c => new AnsibleHost(
            c.Record.Node,
            c.Record.Address,
            c.Record.Port > 0 ? c.Record.Port : credential.Port,
            payload.Labels.GetValueOrDefault(c.Record.Node) ?? new Dictionary<string, string>())).ToList();
        var output = new AnsibleOutputLog(runs, execution.TaskId, options.Value.OutputLimitChars);
        var tracker = new AnsibleRunTracker(execution, output, progress, counts, time);
        var request = new AnsibleRunRequest(
            RunTag(execution.TaskId),
            execution.ClusterName,
            payload.Content,
            hosts,
            credential,
            payload.ExtraVars,
            payload.Arguments,
            settings.BinaryPath,
            settings.TempDir,
            payload.Forks,
            TimeSpan.FromSeconds(execution.Timeout));

        AnsibleRunResult result;
        using (var flushing = new CancellationTokenSource())
        {
            var flusher = FlushPeriodicallyAsync(execution.TaskId, output, tracker, flushing.Token);
            try
            {
                result = await runner.RunAsync(request, tracker, context.StopNow).ConfigureAwait(false);
            }
            finally
            {
                await flushing.CancelAsync().ConfigureAwait(false);
                await flusher.ConfigureAwait(false);
            }
        }

        var (total, start) = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        await runs.SaveStateAsync(execution.TaskId, tracker.Snapshot() with { OutputChars = total, OutputStart = start, ExitCode = result.ExitCode }, cancellationToken).ConfigureAwait(false);
        if (result.Recap is null && result.Error is not null && result.Outcome is AnsibleRunOutcome.Exited or AnsibleRunOutcome.NotStarted)
        {
            await executions.UpdateAsync(execution.TaskId, current => current.IsFinished ? null : current with { Error = result.Error }, cancellationToken).ConfigureAwait(false);
        }

        LogFinished(logger, execution.TaskId, result.Outcome, result.ExitCode, result.Duration.TotalMilliseconds);
        var endedAt = time.GetUtcNow();
        await CompleteAllAsync(context, claims, claim =>
        {
            var node = AnsibleNodeOutcome.Decide(claim.Record, tracker.Host(claim.Record.Node), result, context.StoppedStatus);
            return node with { EndedAt = endedAt, Duration = Math.Round((endedAt - (claim.Record.StartedAt ?? endedAt)).TotalSeconds, 3) };
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes live output and per-host state while the playbook runs; a store hiccup is retried on the next tick.</summary>
    private async Task FlushPeriodicallyAsync(string taskId, AnsibleOutputLog output, AnsibleRunTracker tracker, CancellationToken stop)
    {
        var written = -1L;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.FlushInterval, time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var version = tracker.Version;
            if (version == written)
            {
                continue;
            }

            try
            {
                var (total, start) = await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                await runs.SaveStateAsync(taskId, tracker.Snapshot() with { OutputChars = total, OutputStart = start }, CancellationToken.None).ConfigureAwait(false);
                written = version;
            }
            catch (Exception ex) when (ex is Storage.TableStoreException or IOException or HttpRequestException)
            {
                LogFlushFailed(logger, taskId, ex.Message);
            }
        }
    }

    private static async Task CompleteAllAsync(LaneContext context, List<NodeClaim> claims, Func<NodeClaim, NodeResultRecord> decide, CancellationToken cancellationToken)
    {
        await Task.WhenAll(claims.Select(claim => context.CompleteNodeAsync(claim, decide(claim), "", "", cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>The task id's random suffix: short (socket paths are limited) and enough to find the run's processes.</summary>
    private static string RunTag(string taskId) => taskId[(taskId.LastIndexOf('-') + 1)..];

    [LoggerMessage(EventId = 4210, Level = LogLevel.Information, Message = "Playbook run {TaskId} ended: {Outcome}, exit code {ExitCode}, {Milliseconds} ms")]
    private static partial void LogFinished(ILogger logger, string taskId, AnsibleRunOutcome outcome, int? exitCode, double milliseconds);

    [LoggerMessage(EventId = 4211, Level = LogLevel.Warning, Message = "Writing the live state of playbook run {TaskId} failed for a moment: {Reason}")]
    private static partial void LogFlushFailed(ILogger logger, string taskId, string reason);
}
