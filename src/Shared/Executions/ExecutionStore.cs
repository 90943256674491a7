using System.Globalization;
using System.Text;
using NodeOps.Json;
using NodeOps.Storage;

namespace NodeOps.Executions;

/// <summary>
/// Executions in the table store. "executions" holds one row per execution (partition: kind; row: derived from the
/// task id, newest first). "executionnodes" holds, per execution (partition: task id), one row per node
/// ("n" + index) and the node's output in chunk rows ("o" + index + stream + chunk), because a table property
/// holds at most 64 KiB on Azure. Every state change of a row is a conditional (ETag) write.
/// </summary>
public sealed class ExecutionStore(ITableStore store)
{
    public const string ExecutionsTable = "executions";
    public const string NodesTable = "executionnodes";

    /// <summary>Characters per stored property: under the Table service's 64 KiB (UTF-16) property limit.</summary>
    internal const int ChunkChars = 30_000;

    /// <summary>Largest execution document; the Table service caps an entity at 1 MiB.</summary>
    public const int MaxDocumentChars = 400_000;

    private const int MaxUpdateAttempts = 100;

    /// <summary>Stores the node rows, then the execution. Throws when the execution document is too large to store.</summary>
    public async Task InsertAsync(ExecutionRecord execution, IReadOnlyList<NodeResultRecord> nodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(nodes);
        var operations = nodes.Select(n => TableOperation.Insert(NodeEntity(execution.TaskId, n))).ToList();
        await store.ExecuteInChunksAsync(NodesTable, operations, cancellationToken).ConfigureAwait(false);
        await store.InsertAsync(ExecutionsTable, ExecutionEntity(execution), cancellationToken).ConfigureAwait(false);
    }

    public static int DocumentSize(ExecutionRecord execution) => NodeOpsJson.Serialize(execution).Length;

    public async Task<ExecutionRecord?> GetAsync(string taskId, CancellationToken cancellationToken = default)
    {
        if (!TaskIds.TryParse(taskId, out var kind, out var rowKey))
        {
            return null;
        }

        var entity = await store.GetAsync(ExecutionsTable, kind, rowKey, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ReadExecution(entity);
    }

    /// <summary>
    /// Applies a change under optimistic concurrency, retrying on conflict. The change returns null to leave the
    /// record as it is. Returns the record as stored afterwards, or null when there is no such execution.
    /// </summary>
    public async Task<ExecutionRecord?> UpdateAsync(string taskId, Func<ExecutionRecord, ExecutionRecord?> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!TaskIds.TryParse(taskId, out var kind, out var rowKey))
        {
            return null;
        }

        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var entity = await store.GetAsync(ExecutionsTable, kind, rowKey, cancellationToken).ConfigureAwait(false);
            if (entity is null)
            {
                return null;
            }

            var current = ReadExecution(entity);
            var next = change(current);
            if (next is null)
            {
                return current;
            }

            try
            {
                await store.ReplaceAsync(ExecutionsTable, ExecutionEntity(next), entity.ETag, cancellationToken).ConfigureAwait(false);
                return next;
            }
            catch (PreconditionFailedException)
            {
                await Task.Delay(Random.Shared.Next(1, 5 + Math.Min(attempt, 20) * 3), cancellationToken).ConfigureAwait(false);
            }
        }

        throw new StoreUnavailableException($"Execution {taskId} kept changing under concurrent updates.");
    }

    public async Task<IReadOnlyList<StoredNode>> ListNodesAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryListAsync(NodesTable, TableQuery.Partition(taskId).WithRowKeyPrefix("n"), cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new StoredNode(DocumentTable.FromEntity<NodeResultRecord>(r), r.ETag!)).OrderBy(n => n.Record.Index).ToList();
    }

    /// <summary>Every node with its output, in the order of target_nodes.</summary>
    public async Task<IReadOnlyList<NodeResult>> ListResultsAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryListAsync(NodesTable, TableQuery.Partition(taskId), cancellationToken).ConfigureAwait(false);
        var chunks = rows.Where(r => r.RowKey.StartsWith('o'))
            .GroupBy(r => r.RowKey[..^4], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Concat(g.OrderBy(r => r.RowKey, StringComparer.Ordinal).Select(r => r.GetString("text"))), StringComparer.Ordinal);
        return rows.Where(r => r.RowKey.StartsWith('n'))
            .Select(r => DocumentTable.FromEntity<NodeResultRecord>(r))
            .OrderBy(n => n.Index)
            .Select(n => new NodeResult(n, chunks.GetValueOrDefault(OutputPrefix(n.Index, 'o'), ""), chunks.GetValueOrDefault(OutputPrefix(n.Index, 'e'), "")))
            .ToList();
    }

    /// <summary>Moves a node row on if nobody else did since it was read; returns the new row, or null when someone did.</summary>
    public async Task<StoredNode?> TryTransitionAsync(string taskId, StoredNode node, NodeResultRecord next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            var etag = await store.ReplaceAsync(NodesTable, NodeEntity(taskId, next), node.ETag, cancellationToken).ConfigureAwait(false);
            return new StoredNode(next, etag);
        }
        catch (PreconditionFailedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Records a node's final result: its output chunks first, then the node row, conditionally. Returns false when
    /// the row was changed by someone else meanwhile (the claim was lost), in which case the result is not recorded.
    /// </summary>
    public async Task<bool> RecordResultAsync(string taskId, StoredNode claimed, NodeResultRecord result, string stdout, string stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentNullException.ThrowIfNull(result);
        var chunks = new List<TableOperation>();
        AddChunks(chunks, taskId, result.Index, 'o', stdout);
        AddChunks(chunks, taskId, result.Index, 'e', stderr);
        if (chunks.Count > 0)
        {
            await store.ExecuteInChunksAsync(NodesTable, chunks, cancellationToken).ConfigureAwait(false);
        }

        return await TryTransitionAsync(taskId, claimed, result, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Executions of one kind matching the filters, newest first, and how many match in all.</summary>
    public async Task<(IReadOnlyList<ExecutionRecord> Page, int Total)> QueryAsync(HistoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var table = TableQuery.Partition(query.Kind);
        if (query.ClusterName is not null)
        {
            table = table.Where("cluster_name", FilterOperator.Equal, query.ClusterName);
        }

        if (query.Status is { } status)
        {
            table = table.Where("status", FilterOperator.Equal, Enum.GetName(status)!.ToLowerInvariant());
        }

        if (query.ScheduleId is { } scheduleId)
        {
            table = table.Where("schedule_id", FilterOperator.Equal, scheduleId);
        }

        if (query.StartFrom is { } from)
        {
            table = table.Where("created_at", FilterOperator.GreaterThanOrEqual, from);
        }

        if (query.EndBefore is { } before)
        {
            table = table.Where("created_at", FilterOperator.LessThan, before);
        }

        var all = await store.QueryListAsync(ExecutionsTable, table, cancellationToken).ConfigureAwait(false);
        var ordered = all.Select(ReadExecution).OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).ToList();
        return (ordered.Skip(query.Skip).Take(query.Take).ToList(), ordered.Count);
    }

    /// <summary>Finished executions that ended before the cutoff, across kinds.</summary>
    public async Task<IReadOnlyList<ExecutionRecord>> ListEndedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryListAsync(ExecutionsTable, new TableQuery().Where("ended_at", FilterOperator.LessThan, cutoff), cancellationToken).ConfigureAwait(false);
        return rows.Select(ReadExecution).Where(e => e.IsFinished).ToList();
    }

    /// <summary>Removes an execution: its node and output rows first, then the execution row.</summary>
    public async Task DeleteAsync(ExecutionRecord execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var rows = await store.QueryListAsync(NodesTable, TableQuery.Partition(execution.TaskId), cancellationToken).ConfigureAwait(false);
        await store.ExecuteInChunksAsync(NodesTable, rows.Select(r => TableOperation.Delete(new TableEntity(r.PartitionKey, r.RowKey))).ToList(), cancellationToken).ConfigureAwait(false);
        if (TaskIds.TryParse(execution.TaskId, out var kind, out var rowKey))
        {
            try
            {
                await store.DeleteAsync(ExecutionsTable, kind, rowKey, "*", cancellationToken).ConfigureAwait(false);
            }
            catch (EntityNotFoundException)
            {
            }
        }
    }

    private static void AddChunks(List<TableOperation> operations, string taskId, int index, char stream, string text)
    {
        var chunks = LargeText.Split(text, ChunkChars);
        for (var chunk = 0; chunk < chunks.Count; chunk++)
        {
            operations.Add(TableOperation.Upsert(new TableEntity(taskId, OutputPrefix(index, stream) + chunk.ToString("D4", CultureInfo.InvariantCulture))
            {
                ["text"] = chunks[chunk],
            }));
        }
    }

    private static string OutputPrefix(int index, char stream) => "o" + index.ToString("D6", CultureInfo.InvariantCulture) + stream;

    private static TableEntity NodeEntity(string taskId, NodeResultRecord node) =>
        DocumentTable.ToEntity(taskId, "n" + node.Index.ToString("D6", CultureInfo.InvariantCulture), node, new Dictionary<string, object?>
        {
            ["status"] = Enum.GetName(node.Status)!.ToLowerInvariant(),
        });

    private static TableEntity ExecutionEntity(ExecutionRecord execution)
    {
        if (!TaskIds.TryParse(execution.TaskId, out var kind, out var rowKey))
        {
            throw new ArgumentException($"'{execution.TaskId}' is not a task id.", nameof(execution));
        }

        var parts = LargeText.Split(NodeOpsJson.Serialize(execution), ChunkChars);
        var entity = new TableEntity(kind, rowKey)
        {
            ["cluster_name"] = execution.ClusterName,
            ["status"] = Enum.GetName(execution.Status)!.ToLowerInvariant(),
            ["created_at"] = execution.CreatedAt,
            ["ended_at"] = execution.EndedAt,
            ["user_id"] = execution.UserId,
            ["schedule_id"] = execution.ScheduleId,
            ["doc_parts"] = parts.Count,
        };
        for (var part = 0; part < parts.Count; part++)
        {
            entity[part == 0 ? DocumentTable.DocumentProperty : "doc" + part.ToString(CultureInfo.InvariantCulture)] = parts[part];
        }

        return entity;
    }

    private static ExecutionRecord ReadExecution(TableEntity entity)
    {
        var parts = (int)(entity.GetInt64("doc_parts") ?? 1);
        var json = new StringBuilder(entity.GetString(DocumentTable.DocumentProperty));
        for (var part = 1; part < parts; part++)
        {
            json.Append(entity.GetString("doc" + part.ToString(CultureInfo.InvariantCulture)));
        }

        return NodeOpsJson.Deserialize<ExecutionRecord>(json.ToString());
    }
}
