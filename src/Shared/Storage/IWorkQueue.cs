namespace NodeOps.Storage;

/// <summary>A leased message. <see cref="PopReceipt"/> proves the lease; it changes on every renewal.</summary>
public sealed record QueueMessage(string Queue, string Id, string PopReceipt, string Body, int DequeueCount, DateTimeOffset InsertedAt);

/// <summary>
/// The work-queue port: at-least-once delivery with leases. A leased message is invisible until its visibility
/// timeout runs out; then it is delivered again. A message delivered more than
/// <see cref="WorkQueueOptions.MaxDequeueCount"/> times moves to the queue's dead-letter queue ("{queue}-poison").
/// </summary>
public interface IWorkQueue
{
    Task EnqueueAsync(string queue, string body, TimeSpan? initialDelay = null, CancellationToken cancellationToken = default);

    /// <summary>Leases the oldest visible message, or returns null when there is none.</summary>
    Task<QueueMessage?> LeaseAsync(string queue, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease; throws <see cref="LeaseLostException"/> when someone else holds the message now.</summary>
    Task<QueueMessage> RenewAsync(QueueMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>Removes a leased message; throws <see cref="LeaseLostException"/> when the lease was lost.</summary>
    Task CompleteAsync(QueueMessage message, CancellationToken cancellationToken = default);

    /// <summary>Approximate number of messages, visible or not.</summary>
    Task<int> CountAsync(string queue, CancellationToken cancellationToken = default);
}

public sealed class LeaseLostException(string queue, string id)
    : TableStoreException($"The lease on message {id} in queue {queue} was lost.");

public sealed class WorkQueueOptions
{
    /// <summary>Deliveries before a message is dead-lettered.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    public static string DeadLetterQueue(string queue) => queue + "-poison";
}
