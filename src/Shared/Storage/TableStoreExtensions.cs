using System.Runtime.CompilerServices;

namespace NodeOps.Storage;

public static class TableStoreExtensions
{
    /// <summary>Follows continuations until the query is exhausted.</summary>
    public static async IAsyncEnumerable<TableEntity> QueryAllAsync(
        this ITableStore store,
        string table,
        TableQuery query,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        var next = query;
        while (true)
        {
            var page = await store.QueryAsync(table, next, cancellationToken).ConfigureAwait(false);
            foreach (var entity in page.Entities)
            {
                yield return entity;
            }

            if (page.Continuation is null)
            {
                yield break;
            }

            next = next with { Continuation = page.Continuation };
        }
    }

    public static async Task<List<TableEntity>> QueryListAsync(
        this ITableStore store, string table, TableQuery query, CancellationToken cancellationToken = default)
    {
        var list = new List<TableEntity>();
        await foreach (var entity in store.QueryAllAsync(table, query, cancellationToken).ConfigureAwait(false))
        {
            list.Add(entity);
        }

        return list;
    }

    /// <summary>
    /// Applies any number of operations on one partition in atomic chunks of 100 (each chunk is atomic, not the whole).
    /// The Table service caps a transaction at 100 actions; a larger one fails on Azurite with a reply nobody can parse.
    /// </summary>
    public static async Task ExecuteInChunksAsync(
        this ITableStore store, string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(operations);
        foreach (var chunk in operations.Chunk(BatchRules.MaxOperations))
        {
            await store.ExecuteBatchAsync(table, chunk, cancellationToken).ConfigureAwait(false);
        }
    }
}
