namespace NodeOps.Storage;

/// <summary>
/// The table-store port: Azure Table Storage semantics, which the SQLite adapter reproduces.
/// Tables are created on first use. Every write returns the new ETag.
/// </summary>
public interface ITableStore
{
    Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default);

    /// <summary>Inserts; throws <see cref="EntityAlreadyExistsException"/> when the key is taken.</summary>
    Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken = default);

    /// <summary>Replaces all properties. With an ETag other than "*", throws <see cref="PreconditionFailedException"/> on mismatch.</summary>
    Task<string> ReplaceAsync(string table, TableEntity entity, string? etag, CancellationToken cancellationToken = default);

    /// <summary>Sets the given properties and keeps the others. ETag semantics as <see cref="ReplaceAsync"/>.</summary>
    Task<string> MergeAsync(string table, TableEntity entity, string? etag, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces, unconditionally.</summary>
    Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken = default);

    /// <summary>Deletes. With an ETag other than "*", throws <see cref="PreconditionFailedException"/> on mismatch.</summary>
    Task DeleteAsync(string table, string partitionKey, string rowKey, string? etag, CancellationToken cancellationToken = default);

    Task<TablePage> QueryAsync(string table, TableQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies up to 100 operations on one partition atomically: all take effect or none does
    /// (<see cref="BatchFailedException"/>). Returns each operation's new ETag (empty for deletes).
    /// </summary>
    Task<IReadOnlyList<string>> ExecuteBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default);
}
