using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Audit;
using NodeOps.Errors;
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
/// </summary>
internal sealed partial class ScheduleEvaluator(
    ScheduleStore store,
    ScheduleFirer firer,
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
            if (!schedule.Enabled)
            {
                continue;
            }

            try
            {
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

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Schedule {ScheduleId} missed {Count} due times (no instance was evaluating schedules)")]
    private static partial void LogMissed(ILogger logger, long scheduleId, int count);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Evaluating schedule {ScheduleId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, long scheduleId, string reason);
}
