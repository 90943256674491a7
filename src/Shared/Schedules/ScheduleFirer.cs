using System.Globalization;
using Microsoft.Extensions.Logging;
using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Executions;
using NodeOps.Kubernetes;
using NodeOps.Secrets;
using NodeOps.Storage;

namespace NodeOps.Schedules;

/// <summary>
/// Fires one due time of a schedule: claims it (the run row's conditional insert, so one instance of many does),
/// then decides (window, concurrency, selector) and starts the target with a task id derived from the schedule and
/// the due time. Every outcome is recorded on the run row and in the audit log.
/// </summary>
internal sealed partial class ScheduleFirer(
    ScheduleStore store,
    ScheduleTargets targets,
    NodeSelection selection,
    ExecutionStore executionStore,
    ExecutionService executions,
    ExecutionInstance instance,
    ISecretProtector protector,
    AuditLog audit,
    TimeProvider time,
    ILogger<ScheduleFirer> logger)
{
    public const string AuditArea = "schedules";

    /// <summary>
    /// Fires <paramref name="due"/>; <paramref name="windowAt"/> is the moment the window is checked at (the due time,
    /// or now for a late catch-up; null skips the check, as run-now does). Null when another instance claimed it.
    /// </summary>
    public async Task<ScheduleRun?> FireAsync(ScheduleRecord schedule, DateTimeOffset due, ScheduleTrigger trigger, DateTimeOffset? windowAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var target = ScheduleTarget.Parse(ScheduleSecrets.Open(schedule, protector));
        var run = new ScheduleRun
        {
            ScheduleId = schedule.Id,
            DueTime = due,
            Trigger = trigger,
            Status = ScheduleRunStatus.Starting,
            RecordedAt = time.GetUtcNow(),
            Instance = instance.Id,
        };
        IScheduleTargetStarter? starter = null;
        try
        {
            starter = targets.Get(target.Type);
            run = run with { TaskId = TaskIds.WithSuffix(starter.Kind, due, (trigger == ScheduleTrigger.Cron ? "s" : "r") + schedule.Id.ToString(CultureInfo.InvariantCulture)) };
        }
        catch (NodeOpsException ex)
        {
            run = run with { Status = ScheduleRunStatus.FailedToStart, Reason = ex.Message };
        }

        if (!await store.TryClaimAsync(run, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        if (starter is not null)
        {
            run = await DecideAndStartAsync(run, target, starter, windowAt, cancellationToken).ConfigureAwait(false);
            await store.UpdateRunAsync(run, cancellationToken).ConfigureAwait(false);
        }

        LogFired(logger, schedule.Id, due, run.Status, run.TaskId, run.Reason);
        await audit.RecordAsync(AuditArea, "fire", "scheduler", Describe(schedule, run), cancellationToken).ConfigureAwait(false);
        return run;
    }

    public static string Describe(ScheduleRecord schedule, ScheduleRun run)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(run);
        return string.Create(CultureInfo.InvariantCulture,
            $"schedule {schedule.Id} ({schedule.Name}) {Json.NodeOpsJson.Serialize(run.Trigger).Trim('"')} due {run.DueTime:yyyy-MM-ddTHH:mm:ssZ}: {Json.NodeOpsJson.Serialize(run.Status).Trim('"')}")
            + (run.TaskId is null || run.Status != ScheduleRunStatus.Started ? "" : " task " + run.TaskId)
            + (run.Reason is null ? "" : " (" + run.Reason + ")");
    }

    private async Task<ScheduleRun> DecideAndStartAsync(ScheduleRun run, ScheduleTarget target, IScheduleTargetStarter starter, DateTimeOffset? windowAt, CancellationToken cancellationToken)
    {
        // Read again after the claim: a schedule disabled or deleted meanwhile never fires.
        if (await CurrentAsync(run, cancellationToken).ConfigureAwait(false) is not { } schedule)
        {
            return run with { Status = ScheduleRunStatus.FailedToStart, Reason = "the schedule was disabled or deleted before it started" };
        }

        var timing = ScheduleTiming.Parse(schedule.Cron, schedule.Timezone);
        if (windowAt is { } at && schedule.Window is { } window && !window.Contains(at, timing.Zone))
        {
            return run with { Status = ScheduleRunStatus.SkippedWindow, Reason = $"outside the window {window.Start}-{window.End}" + (window.Days is { Count: > 0 } d ? " " + string.Join(",", d) : "") };
        }

        if (schedule.Concurrency == ScheduleConcurrency.Skip && await RunningAsync(schedule.Id, cancellationToken).ConfigureAwait(false) is { } running)
        {
            return run with { Status = ScheduleRunStatus.SkippedRunning, Reason = $"the previous run {running} is still running" };
        }

        var actor = new Actor(schedule.UpdatedById, schedule.UpdatedBy, Role.Admin);
        try
        {
            var body = target.Body;
            if (target.Selector is not null)
            {
                var selected = await selection.SelectAsync(target, cancellationToken).ConfigureAwait(false);
                var notChecked = selected.Unchecked.Count == 0 ? null : "could not check: " + string.Join(", ", selected.Unchecked);
                if (selected.Nodes.Count == 0)
                {
                    return run with { Status = ScheduleRunStatus.SkippedNoNodes, Reason = notChecked ?? "no node matches the selector" };
                }

                body = target.BodyFor(selected.Nodes);
                run = run with { Nodes = selected.Nodes, Reason = notChecked };
            }

            await starter.StartAsync(body, actor, run.TaskId!, schedule.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NodeOpsException or KubernetesApiException or HttpRequestException or System.Text.Json.JsonException or TableStoreException)
        {
            return run with { Status = ScheduleRunStatus.FailedToStart, Reason = ex is TableStoreException ? "storage refused the start: " + ex.GetType().Name : ex.Message };
        }

        // A disable that raced the start: the run is cancelled before its nodes begin (or stopped on them).
        if (await CurrentAsync(run, cancellationToken).ConfigureAwait(false) is null)
        {
            try
            {
                await executions.CancelAsync(starter.Kind, run.TaskId!, actor, cancellationToken).ConfigureAwait(false);
            }
            catch (NodeOpsException ex) when (ex.Kind == ErrorKind.Conflict)
            {
                // It already finished: nothing is left to stop.
            }

            return run with { Status = ScheduleRunStatus.Started, Reason = "cancelled: the schedule was disabled or deleted while it started" };
        }

        return run with { Status = ScheduleRunStatus.Started };
    }

    /// <summary>The schedule as stored now, when it may still fire this run (run-now fires a disabled one only if asked while enabled).</summary>
    private async Task<ScheduleRecord?> CurrentAsync(ScheduleRun run, CancellationToken cancellationToken) =>
        await store.GetAsync(run.ScheduleId, cancellationToken).ConfigureAwait(false) is { Schedule: { Enabled: true } schedule } ? schedule : null;

    /// <summary>The task id of the schedule's latest started run when that execution has not finished.</summary>
    private async Task<string?> RunningAsync(long scheduleId, CancellationToken cancellationToken)
    {
        var latest = await store.LatestRunAsync(scheduleId, status: ScheduleRunStatus.Started, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (latest?.TaskId is not { } taskId)
        {
            return null;
        }

        var execution = await executionStore.GetAsync(taskId, cancellationToken).ConfigureAwait(false);
        return execution is { IsFinished: false } ? taskId : null;
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Schedule {ScheduleId} due {Due}: {Status} {TaskId} {Reason}")]
    private static partial void LogFired(ILogger logger, long scheduleId, DateTimeOffset due, ScheduleRunStatus status, string? taskId, string? reason);
}
