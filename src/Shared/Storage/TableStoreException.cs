namespace NodeOps.Storage;

/// <summary>Base of the store's own failures, so callers can react to the kind and not to an adapter's HTTP or SQL codes.</summary>
public abstract class TableStoreException : Exception
{
    protected TableStoreException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>An insert found the key taken (HTTP 409 on Azure).</summary>
public sealed class EntityAlreadyExistsException(string table, string pk, string rk)
    : TableStoreException($"Entity ({pk}, {rk}) already exists in table {table}.");

/// <summary>A conditional write found another ETag, or no entity where one was required (HTTP 412 on Azure).</summary>
public sealed class PreconditionFailedException(string table, string pk, string rk)
    : TableStoreException($"Entity ({pk}, {rk}) in table {table} was changed or removed by someone else.");

/// <summary>An unconditional update or delete found no entity (HTTP 404 on Azure).</summary>
public sealed class EntityNotFoundException(string table, string pk, string rk)
    : TableStoreException($"Entity ({pk}, {rk}) does not exist in table {table}.");

/// <summary>The backing store could not be reached or kept failing after retries.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null)
    : TableStoreException(message, inner);

/// <summary>A batch failed as a whole; <see cref="FailedIndex"/> is the operation that caused it.</summary>
public sealed class BatchFailedException(int failedIndex, TableStoreException cause)
    : TableStoreException($"Batch operation {failedIndex} failed: {cause.Message}", cause)
{
    public int FailedIndex { get; } = failedIndex;
}
