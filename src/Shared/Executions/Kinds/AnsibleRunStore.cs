using System.Globalization;
using NodeOps.Storage;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// A playbook run's state and output, stored in the execution's own partition of the engine's node table (rows
/// "a-state" and "a-out-NNNNNNNN", apart from the node rows "n..." and the engine's output rows "o..."), so the
/// retention sweep removes them with the execution. Output is cut into fixed-size chunks by absolute offset:
/// chunk k holds characters [k*C, (k+1)*C); the tail is kept by deleting whole chunks at the front.
/// </summary>
public sealed class AnsibleRunStore(ITableStore store)
{
    /// <summary>Characters per chunk row: under the Table service's 64 KiB (UTF-16) property limit.</summary>
    public const int ChunkChars = 30_000;

    private const string StateRow = "a-state";
    private const string OutputPrefix = "a-out-";
    private const string TextProperty = "text";

    public async Task SaveStateAsync(string taskId, AnsibleRunState state, CancellationToken cancellationToken = default) =>
        await store.UpsertAsync(ExecutionStore.NodesTable, DocumentTable.ToEntity(taskId, StateRow, state), cancellationToken).ConfigureAwait(false);

    public async Task<AnsibleRunState?> GetStateAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var entity = await store.GetAsync(ExecutionStore.NodesTable, taskId, StateRow, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : DocumentTable.FromEntity<AnsibleRunState>(entity);
    }

    internal async Task WriteChunksAsync(string taskId, IReadOnlyList<(long Index, string Text)> chunks, CancellationToken cancellationToken = default)
    {
        var operations = chunks.Select(c => TableOperation.Upsert(new TableEntity(taskId, ChunkRow(c.Index)) { [TextProperty] = c.Text })).ToList();
        await store.ExecuteInChunksAsync(ExecutionStore.NodesTable, operations, cancellationToken).ConfigureAwait(false);
    }

    internal async Task DeleteChunkAsync(string taskId, long index, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.DeleteAsync(ExecutionStore.NodesTable, taskId, ChunkRow(index), "*", cancellationToken).ConfigureAwait(false);
        }
        catch (EntityNotFoundException)
        {
        }
    }

    /// <summary>
    /// The output from <paramref name="offset"/> (or the last <paramref name="limit"/> characters when it is null),
    /// at most <paramref name="limit"/> characters. An offset before the stored start begins at the start.
    /// </summary>
    public async Task<AnsibleOutputPage> ReadOutputAsync(string taskId, AnsibleRunState? state, long? offset, int limit, CancellationToken cancellationToken = default)
    {
        if (state is null || state.OutputChars <= state.OutputStart || limit <= 0)
        {
            var end = state?.OutputChars ?? 0;
            return new AnsibleOutputPage("", end, null, state?.OutputStart ?? 0, end);
        }

        var total = state.OutputChars;
        var from = offset is { } o ? Math.Clamp(o, state.OutputStart, total) : Math.Max(state.OutputStart, total - limit);
        var to = Math.Min(total, from + limit);
        if (from >= to)
        {
            return new AnsibleOutputPage("", from, null, state.OutputStart, total);
        }

        var first = from / ChunkChars;
        var last = (to - 1) / ChunkChars;
        var query = new TableQuery { PartitionKey = taskId, RowKeyFrom = ChunkRow(first), RowKeyBefore = ChunkRow(last + 1) };
        var rows = await store.QueryListAsync(ExecutionStore.NodesTable, query, cancellationToken).ConfigureAwait(false);
        var text = new System.Text.StringBuilder();
        long? textStart = null;
        foreach (var row in rows.OrderBy(r => r.RowKey, StringComparer.Ordinal))
        {
            var index = long.Parse(row.RowKey.AsSpan(OutputPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture);
            var chunkStart = index * ChunkChars;
            // A gap means chunks were dropped meanwhile; what follows it is what is there.
            if (textStart is { } s && s + text.Length != chunkStart)
            {
                text.Clear();
                textStart = null;
            }

            textStart ??= chunkStart;
            text.Append(row.GetString(TextProperty));
        }

        if (textStart is not { } start)
        {
            return new AnsibleOutputPage("", to, to < total ? to : null, state.OutputStart, total);
        }

        var begin = Math.Max(from, start);
        var stop = Math.Min(to, start + text.Length);
        if (begin >= stop)
        {
            return new AnsibleOutputPage("", begin, stop < total ? stop : null, state.OutputStart, total);
        }

        // Never split a surrogate pair at either edge of the page.
        var window = text.ToString((int)(begin - start), (int)(stop - begin));
        if (window.Length > 0 && char.IsLowSurrogate(window[0]))
        {
            window = window[1..];
            begin++;
        }

        if (window.Length > 0 && char.IsHighSurrogate(window[^1]) && stop < total)
        {
            window = window[..^1];
            stop--;
        }

        return new AnsibleOutputPage(window, begin, stop < total ? stop : null, state.OutputStart, total);
    }

    private static string ChunkRow(long index) => OutputPrefix + index.ToString("D8", CultureInfo.InvariantCulture);
}
