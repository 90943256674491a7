using Azure;

namespace NodeOps.Storage.Azure;

/// <summary>
/// Turns what the SDK throws into the port's <see cref="TableStoreException"/> kinds, so callers never see
/// <see cref="RequestFailedException"/>. The SDK pipeline has already retried whatever was transient.
/// </summary>
internal static class AzureFailure
{
    /// <summary>Failures of the call itself, as opposed to the caller cancelling it.</summary>
    public static bool IsFailure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        RequestFailedException or AggregateException => true,
        // A network timeout inside the pipeline surfaces as a cancellation nobody asked for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>
    /// The port's meaning of 409, 412 and 404 for a write on one entity: a 404 is a failed precondition when the
    /// write was conditional (the entity the caller read is gone), else the entity (or its table) does not exist.
    /// </summary>
    public static TableStoreException ForEntity(
        Exception exception, string operation, TableOperationKind kind, string? etag, string table, string partitionKey, string rowKey) =>
        (exception as RequestFailedException)?.Status switch
        {
            409 when kind == TableOperationKind.Insert => new EntityAlreadyExistsException(table, partitionKey, rowKey),
            412 => new PreconditionFailedException(table, partitionKey, rowKey),
            404 when etag is not null and not "*" => new PreconditionFailedException(table, partitionKey, rowKey),
            404 when kind != TableOperationKind.Insert => new EntityNotFoundException(table, partitionKey, rowKey),
            _ => Other(exception, operation),
        };

    /// <summary>Throttling, server errors and network failures that outlasted the retries mean the store is unavailable.</summary>
    public static TableStoreException Other(Exception exception, string operation) => exception switch
    {
        RequestFailedException { Status: 0 or 408 or >= 500 } or AggregateException or OperationCanceledException =>
            new StoreUnavailableException($"Azure storage {operation} failed after retries: {FirstLine(exception.Message)}", exception),
        RequestFailedException failed => new AzureStorageRequestException(operation, failed.Status, failed.ErrorCode, FirstLine(failed.Message), exception),
        _ => throw new ArgumentException($"Not a storage failure: {exception.GetType().Name}.", nameof(exception)),
    };

    // The SDK's messages continue with request and header dumps; the first line is the human part.
    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
