using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Audit;
using NodeOps.Errors;
using NodeOps.Executions;
using NodeOps.Storage;

namespace NodeOps.Schedules;

/// <summary>
/// The one piece of code that fires schedules, called every minute by the standalone host's in-process scheduler
/// and by the Functions host's timer trigger, on any number of instances at once: each due time is claimed by one.
/// <para>
/// Of the due times since the schedule's last recorded one, the latest fires and the earlier ones are recorded as
/// <see cref="ScheduleRunStatus.Missed"/> (after downtime). A latest due time older than Schedules:MissedAfter is
/// late: it runs only if the schedule's window is open now (a schedule without a window has no such limit).
/// </para>
/// <para>
/// A run left <see cref="ScheduleRunStatus.Starting"/> by an instance that stopped between its claim and its outcome
/// is settled once it is older than Schedules:StartingTimeout, so no run shows "starting" for ever.
/// </para>
/// </summary>
internal sealed partial class ScheduleEvaluator(
    ScheduleStore store,
    ScheduleFirer firer,
    ExecutionStore executions,
    AuditLog audit,
    TimeProvider time,
    IOptions<SchedulesOptions> options,
    ILogger<ScheduleEvaluator> logger)
{
    /// <summary>Evaluates every enabled schedule once; returns the earliest due time still to come, for the caller's next wake-up.</summary>
    public async Task<DateTimeOffset?> EvaluateAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? next = null;
        foreach (var schedule in await store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await SettleAbandonedStartAsync(schedule, now, cancellationToken).ConfigureAwait(false);
                if (!schedule.Enabled)
                {
                    continue;
                }

                await EvaluateAsync(schedule, now, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TableStoreException or NodeOpsException or IOException or HttpRequestException)
            {
                // One schedule's failure must not stop the others; its due times are evaluated again next time.
                LogFailed(logger, schedule.Id, ex.Message);
            }

            var due = ScheduleTiming.Parse(schedule.Cron, schedule.Timezone).Next(now);
            if (due is not null && (next is null || due < next))
            {
                next = due;
            }
        }

        return next;
    }

    private async Task EvaluateAsync(ScheduleRecord schedule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var latest = await store.LatestRunAsync(schedule.Id, ScheduleTrigger.Cron, cancellationToken: cancellationToken).ConfigureAwait(false);
        var cursor = new[] { latest?.DueTime ?? DateTimeOffset.MinValue, schedule.ActiveSince, now - settings.MaxCatchUp }.Max();
        var due = ScheduleTiming.Parse(schedule.Cron, schedule.Timezone).Between(cursor, now);
        if (due.Count == 0)
        {
            return;
        }

        // Only the latest due time fires: the ones before it passed unevaluated (downtime, or a timer coarser than the cron).
        var latestDue = due[^1];
        var missed = 0;
        foreach (var at in due.SkipLast(1).TakeLast(settings.MaxMissedRecorded))
        {
            var recorded = await store.TryClaimAsync(new ScheduleRun
            {
                ScheduleId = schedule.Id,
                DueTime = at,
                Status = ScheduleRunStatus.Missed,
                Reason = "no NodeOps instance was evaluating schedules at this time",
                RecordedAt = now,
            }, cancellationToken).ConfigureAwait(false);
            missed += recorded ? 1 : 0;
        }

        if (missed > 0)
        {
            LogMissed(logger, schedule.Id, missed);
            await audit.RecordAsync(ScheduleFirer.AuditArea, "missed", "scheduler", $"schedule {schedule.Id} ({schedule.Name}): {missed} due times missed", cancellationToken).ConfigureAwait(false);
        }

        // A late due time runs only if the schedule's window is open now, not merely when it was due.
        var windowAt = now - latestDue <= settings.MissedAfter ? latestDue : now;
        await firer.FireAsync(schedule, latestDue, ScheduleTrigger.Cron, windowAt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The newest run still starting after Schedules:StartingTimeout: its claimer stopped before recording the
    /// outcome. Started if its execution exists (the orchestration runs it on), else failed to start. One a
    /// minute per schedule; any older ones follow at the next evaluations.
    /// <para>
    /// This runs every minute, so it reads only the due times such a run can have: no later than the timeout ago
    /// (a run is recorded at or after its due time), and no earlier than Schedules:MaxCatchUp before that (nothing
    /// older is ever fired), not the schedule's whole history.
    /// </para>
    /// </summary>
    private async Task SettleAbandonedStartAsync(ScheduleRecord schedule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var staleBy = now - options.Value.StartingTimeout;
        var run = await store.LatestRunAsync(schedule.Id, status: ScheduleRunStatus.Starting, due: (staleBy - options.Value.MaxCatchUp, staleBy), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (run is null || now - run.RecordedAt < options.Value.StartingTimeout)
        {
            return;
        }

        var started = run.TaskId is { } taskId && await executions.GetAsync(taskId, cancellationToken).ConfigureAwait(false) is not null;
        var settled = run with
        {
            Status = started ? ScheduleRunStatus.Started : ScheduleRunStatus.FailedToStart,
            Reason = started ? run.Reason : $"the instance {run.Instance} that claimed it stopped before it started the target",
        };
        await store.UpdateRunAsync(settled, cancellationToken).ConfigureAwait(false);
        LogSettled(logger, schedule.Id, run.DueTime, settled.Status, run.Instance);
        await audit.RecordAsync(ScheduleFirer.AuditArea, "settle", "scheduler", ScheduleFirer.Describe(schedule, settled), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Schedule {ScheduleId} due {Due} was left starting by instance {Instance}; settled as {Status}")]
    private static partial void LogSettled(ILogger logger, long scheduleId, DateTimeOffset due, ScheduleRunStatus status, string instance);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Schedule {ScheduleId} missed {Count} due times (no instance was evaluating schedules)")]
    private static partial void LogMissed(ILogger logger, long scheduleId, int count);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Evaluating schedule {ScheduleId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, long scheduleId, string reason);
}
