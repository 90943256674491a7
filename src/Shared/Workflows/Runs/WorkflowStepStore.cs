using System.Globalization;
using NodeOps.Scheduling;
using NodeOps.Storage;

namespace NodeOps.Workflows.Runs;

/// <summary>
/// Step state of workflow runs in the table store: partition = task id, row = step id and node. Every state change is
/// a conditional (ETag) write, which is what keeps a step from running twice on a node.
/// </summary>
public sealed class WorkflowStepStore(ITableStore store) : IRetentionParticipant
{
    public const string Table = "workflowsteps";

    public async Task<(StepNodeRecord Record, string ETag)?> GetAsync(string taskId, string stepId, string node, CancellationToken cancellationToken = default)
    {
        var entity = await store.GetAsync(Table, taskId, RowKey(stepId, node), cancellationToken).ConfigureAwait(false);
        return entity is null ? null : (DocumentTable.FromEntity<StepNodeRecord>(entity), entity.ETag!);
    }

    /// <summary>Writes the row if nobody changed it since <paramref name="etag"/> was read (null: only if it does not exist); the new ETag, or null when someone did.</summary>
    public async Task<string?> TryWriteAsync(string taskId, StepNodeRecord record, string? etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entity = DocumentTable.ToEntity(taskId, RowKey(record.StepId, record.Node), record, new Dictionary<string, object?>
        {
            ["status"] = record.Status.Name(),
        });
        try
        {
            return etag is null
                ? await store.InsertAsync(Table, entity, cancellationToken).ConfigureAwait(false)
                : await store.ReplaceAsync(Table, entity, etag, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PreconditionFailedException or EntityAlreadyExistsException or EntityNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Applies a change under optimistic concurrency; the change gets null when there is no row yet and returns null to leave it.</summary>
    public async Task<StepNodeRecord?> UpdateAsync(string taskId, string stepId, string node, Func<StepNodeRecord?, StepNodeRecord?> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var current = await GetAsync(taskId, stepId, node, cancellationToken).ConfigureAwait(false);
            var next = change(current?.Record);
            if (next is null)
            {
                return current?.Record;
            }

            if (await TryWriteAsync(taskId, next, current?.ETag, cancellationToken).ConfigureAwait(false) is not null)
            {
                return next;
            }
        }

        throw new StoreUnavailableException($"Step {stepId} of {taskId} kept changing under concurrent updates.");
    }

    public async Task<IReadOnlyList<StepNodeRecord>> ListAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryListAsync(Table, TableQuery.Partition(taskId), cancellationToken).ConfigureAwait(false);
        return rows.Select(DocumentTable.FromEntity<StepNodeRecord>).ToList();
    }

    /// <summary>Removes rows (resume forgets what did not succeed, so it runs again).</summary>
    public async Task DeleteAsync(string taskId, IEnumerable<StepNodeRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var operations = records.Select(r => TableOperation.Delete(new TableEntity(taskId, RowKey(r.StepId, r.Node)))).ToList();
        await store.ExecuteInChunksAsync(Table, operations, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A workflow run's step rows go with it when retention removes it.</summary>
    public async Task DeleteExecutionRowsAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryListAsync(Table, TableQuery.Partition(taskId), cancellationToken).ConfigureAwait(false);
        await store.ExecuteInChunksAsync(Table, rows.Select(r => TableOperation.Delete(new TableEntity(r.PartitionKey, r.RowKey))).ToList(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Step rows belong to their run; none outlive it.</summary>
    public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) => Task.FromResult(0);

    /// <summary>Node names may hold characters a row key may not ('/', '#', '?'): they are escaped.</summary>
    private static string RowKey(string stepId, string node) =>
        string.Create(CultureInfo.InvariantCulture, $"{stepId}|{Uri.EscapeDataString(node)}");
}
