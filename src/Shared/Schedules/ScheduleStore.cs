using System.Globalization;
using NodeOps.Scheduling;
using NodeOps.Storage;

namespace NodeOps.Schedules;

/// <summary>
/// Schedules and their runs in the table store. "schedules" holds one row per schedule; "scheduleruns" holds, per
/// schedule (partition), one row per due time and trigger, newest first. Inserting a run row is conditional, so it
/// is the claim: of all instances evaluating the same due time, exactly one inserts it.
/// </summary>
public sealed class ScheduleStore(ITableStore store) : IRetentionParticipant
{
    public const string SchedulesTable = "schedules";
    public const string RunsTable = "scheduleruns";
    private const string Partition = "schedule";

    public async Task InsertAsync(ScheduleRecord schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await store.InsertAsync(SchedulesTable, Entity(schedule), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The schedule and its ETag, or null.</summary>
    public async Task<(ScheduleRecord Schedule, string ETag)?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var entity = await store.GetAsync(SchedulesTable, Partition, Key(id), cancellationToken).ConfigureAwait(false);
        return entity is null ? null : (DocumentTable.FromEntity<ScheduleRecord>(entity), entity.ETag!);
    }

    /// <summary>Replaces the schedule if nobody changed it since it was read; throws <see cref="PreconditionFailedException"/> otherwise.</summary>
    public async Task ReplaceAsync(ScheduleRecord schedule, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await store.ReplaceAsync(SchedulesTable, Entity(schedule), etag, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ScheduleRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryListAsync(SchedulesTable, TableQuery.Partition(Partition), cancellationToken).ConfigureAwait(false);
        return rows.Select(DocumentTable.FromEntity<ScheduleRecord>).OrderBy(s => s.Id).ToList();
    }

    /// <summary>Deletes the schedule first (so no instance fires it again), then its runs.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.DeleteAsync(SchedulesTable, Partition, Key(id), "*", cancellationToken).ConfigureAwait(false);
        }
        catch (EntityNotFoundException)
        {
            return false;
        }

        var runs = await store.QueryListAsync(RunsTable, TableQuery.Partition(Key(id)), cancellationToken).ConfigureAwait(false);
        await store.ExecuteInChunksAsync(RunsTable, runs.Select(r => TableOperation.Delete(new TableEntity(r.PartitionKey, r.RowKey))).ToList(), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Records a run row unless one exists for its due time and trigger; false when another instance got there first.</summary>
    public async Task<bool> TryClaimAsync(ScheduleRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            await store.InsertAsync(RunsTable, RunEntity(run), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (EntityAlreadyExistsException)
        {
            return false;
        }
    }

    /// <summary>Moves a claimed run row on to its outcome (only the claimer writes it after the claim).</summary>
    public async Task UpdateRunAsync(ScheduleRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await store.ReplaceAsync(RunsTable, RunEntity(run), "*", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The schedule's runs, newest due time first, and how many there are.</summary>
    public async Task<(IReadOnlyList<ScheduleRun> Page, int Total)> ListRunsAsync(long scheduleId, int skip, int take, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryListAsync(RunsTable, TableQuery.Partition(Key(scheduleId)), cancellationToken).ConfigureAwait(false);
        var runs = rows.OrderBy(r => r.RowKey, StringComparer.Ordinal).Select(DocumentTable.FromEntity<ScheduleRun>).ToList();
        return (runs.Skip(skip).Take(take).ToList(), runs.Count);
    }

    /// <summary>
    /// The newest run row, optionally only of one trigger or status, and only due within <paramref name="due"/> (a row
    /// key range, so the rows outside it are never read).
    /// </summary>
    public async Task<ScheduleRun?> LatestRunAsync(
        long scheduleId,
        ScheduleTrigger? trigger = null,
        ScheduleRunStatus? status = null,
        (DateTimeOffset From, DateTimeOffset To)? due = null,
        CancellationToken cancellationToken = default)
    {
        var query = TableQuery.Partition(Key(scheduleId));
        if (due is { } range)
        {
            query = query with { RowKeyFrom = DueKey(range.To), RowKeyBefore = DueKey(range.From.AddTicks(-1)) };
        }

        if (trigger is { } t)
        {
            query = query.Where("trigger", FilterOperator.Equal, Name(t));
        }

        if (status is { } s)
        {
            query = query.Where("status", FilterOperator.Equal, Name(s));
        }

        // Row keys count down, so the first row in key order is the newest.
        await foreach (var row in store.QueryAllAsync(RunsTable, query with { PageSize = 50 }, cancellationToken).ConfigureAwait(false))
        {
            return DocumentTable.FromEntity<ScheduleRun>(row);
        }

        return null;
    }

    private static string Key(long id) => id.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>A schedule's runs are its own; the executions they started are swept with the other executions.</summary>
    public Task DeleteExecutionRowsAsync(string taskId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// Deletes run rows due before the cutoff, except each schedule's newest of each trigger: the schedule's
    /// last_run, and the point its next evaluation counts due times from.
    /// </summary>
    public async Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var deleted = 0;
        foreach (var schedule in await ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var query = TableQuery.Partition(Key(schedule.Id)) with { RowKeyFrom = DueKey(cutoff) };
            var old = await store.QueryListAsync(RunsTable, query, cancellationToken).ConfigureAwait(false);
            var keep = new List<string>();
            foreach (var trigger in new[] { ScheduleTrigger.Cron, ScheduleTrigger.RunNow })
            {
                if (await LatestRunAsync(schedule.Id, trigger, cancellationToken: cancellationToken).ConfigureAwait(false) is { } latest)
                {
                    keep.Add(RunEntity(latest).RowKey);
                }
            }

            var operations = old.Where(r => !keep.Contains(r.RowKey)).Select(r => TableOperation.Delete(new TableEntity(r.PartitionKey, r.RowKey))).ToList();
            await store.ExecuteInChunksAsync(RunsTable, operations, cancellationToken).ConfigureAwait(false);
            deleted += operations.Count;
        }

        return deleted;
    }

    private static string Name<T>(T value)
        where T : struct, Enum => Json.NodeOpsJson.Serialize(value).Trim('"');

    private static TableEntity Entity(ScheduleRecord schedule) =>
        DocumentTable.ToEntity(Partition, Key(schedule.Id), schedule, new Dictionary<string, object?> { ["enabled"] = schedule.Enabled });

    /// <summary>Row keys count down: the newest due time sorts first, and a key range "from" a due time holds the older ones.</summary>
    private static string DueKey(DateTimeOffset due) => (DateTimeOffset.MaxValue.UtcTicks - due.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    private static TableEntity RunEntity(ScheduleRun run)
    {
        var rowKey = DueKey(run.DueTime) + (run.Trigger == ScheduleTrigger.Cron ? "-c" : "-r");
        return DocumentTable.ToEntity(Key(run.ScheduleId), rowKey, run, new Dictionary<string, object?>
        {
            ["trigger"] = Name(run.Trigger),
            ["status"] = Name(run.Status),
            ["task_id"] = run.TaskId,
        });
    }
}
