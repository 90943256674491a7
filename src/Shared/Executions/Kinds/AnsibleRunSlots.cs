using System.Globalization;
using NodeOps.Storage;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// Ansible's max_concurrent across every instance that shares the store. A run holds one of max_concurrent slot
/// rows while it runs; a slot is taken by a conditional write (insert, or replace at the ETag read), so two
/// instances can never take the same one, and a slot whose run has finished counts as free. Runs waiting for a
/// slot are the pending "ansible" executions, in submission order (their numeric id): a run is admitted only when
/// the runs ahead of it fit in the free slots too, so pending runs start in order.
/// </summary>
public sealed class AnsibleRunSlots(ITableStore store, ExecutionStore executions, TimeProvider time)
{
    private const string Table = "ansibleslots";
    private const string Partition = "slots";
    private const int MaxAttempts = 10;

    /// <summary>Takes a slot for the execution; returns null when it holds one, or its 1-based place in the queue.</summary>
    public async Task<int?> TryAcquireAsync(ExecutionRecord execution, int maxConcurrent, string instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var rows = await store.QueryListAsync(Table, TableQuery.Partition(Partition), cancellationToken).ConfigureAwait(false);
            var slots = rows.ToDictionary(r => r.RowKey, r => (Entity: r, Holder: DocumentTable.FromEntity<AnsibleSlot>(r)), StringComparer.Ordinal);
            if (slots.Values.Any(s => s.Holder.TaskId == execution.TaskId))
            {
                return null;
            }

            var live = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (_, holder) in slots.Values)
            {
                if (await executions.GetAsync(holder.TaskId, cancellationToken).ConfigureAwait(false) is { IsFinished: false })
                {
                    live.Add(holder.TaskId);
                }
            }

            var (pending, _) = await executions.QueryAsync(
                new HistoryQuery(AnsibleKind.Name, null, ExecutionStatus.Pending, null, null, 0, int.MaxValue), cancellationToken).ConfigureAwait(false);
            var queue = pending.Where(e => !e.CancelRequested && !live.Contains(e.TaskId)).OrderBy(e => e.Id).ToList();
            var position = queue.FindIndex(e => e.TaskId == execution.TaskId);
            if (position < 0)
            {
                position = queue.Count;
            }

            var free = Enumerable.Range(0, Math.Max(0, maxConcurrent))
                .Select(Row)
                .Where(row => !slots.TryGetValue(row, out var slot) || !live.Contains(slot.Holder.TaskId))
                .ToList();
            var freeCount = Math.Min(free.Count, maxConcurrent - live.Count);
            if (position >= freeCount)
            {
                return position + 1;
            }

            var chosen = free[position];
            var entity = DocumentTable.ToEntity(Partition, chosen, new AnsibleSlot(execution.TaskId, instance, time.GetUtcNow()));
            try
            {
                if (slots.TryGetValue(chosen, out var stale))
                {
                    await store.ReplaceAsync(Table, entity, stale.Entity.ETag, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await store.InsertAsync(Table, entity, cancellationToken).ConfigureAwait(false);
                }

                return null;
            }
            catch (Exception ex) when (ex is PreconditionFailedException or EntityAlreadyExistsException)
            {
                // Another instance took that slot a moment ago; look again.
            }
        }

        return 1;
    }

    /// <summary>Gives the execution's slot back (when it holds one).</summary>
    public async Task ReleaseAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryListAsync(Table, TableQuery.Partition(Partition), cancellationToken).ConfigureAwait(false);
        foreach (var row in rows.Where(r => DocumentTable.FromEntity<AnsibleSlot>(r).TaskId == taskId))
        {
            try
            {
                await store.DeleteAsync(Table, Partition, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is PreconditionFailedException or EntityNotFoundException)
            {
                // Taken over as stale by another run already.
            }
        }
    }

    /// <summary>Where the execution stands among the runs waiting for a slot (1-based), or null when it is not waiting.</summary>
    public async Task<int?> QueuePositionAsync(ExecutionRecord execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        if (execution.Status != ExecutionStatus.Pending || execution.CancelRequested)
        {
            return null;
        }

        var (pending, _) = await executions.QueryAsync(
            new HistoryQuery(AnsibleKind.Name, null, ExecutionStatus.Pending, null, null, 0, int.MaxValue), cancellationToken).ConfigureAwait(false);
        var ahead = pending.Count(e => !e.CancelRequested && e.Id < execution.Id);
        return ahead + 1;
    }

    private static string Row(int index) => "s" + index.ToString("D4", CultureInfo.InvariantCulture);

    private sealed record AnsibleSlot(string TaskId, string Instance, DateTimeOffset ClaimedAt);
}
