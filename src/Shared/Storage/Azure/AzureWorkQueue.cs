using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdkMessage = Azure.Storage.Queues.Models.QueueMessage;

namespace NodeOps.Storage.Azure;

/// <summary>
/// The work-queue port over Azure.Storage.Queues. Delivery counting and dead-lettering follow the SQLite adapter:
/// a message is delivered at most <see cref="WorkQueueOptions.MaxDequeueCount"/> times; the lease that would
/// deliver it once more moves it to "{queue}-poison" instead.
/// </summary>
internal sealed class AzureWorkQueue : IWorkQueue
{
    // The service's bound on visibility: at most seven days.
    private static readonly TimeSpan MaxVisibility = TimeSpan.FromDays(7);

    // Work items never expire, as in the SQLite adapter (the service's default time to live is seven days).
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    // Bounds one lease call on a queue full of exhausted messages; the caller simply polls again.
    private const int MaxDeadLettersPerLease = 32;

    private readonly QueueServiceClient _service;
    private readonly AzureResourceNames _names;
    private readonly IOptions<WorkQueueOptions> _options;
    private readonly ILogger<AzureWorkQueue> _logger;
    private readonly AzureResourceCreator _queues;

    public AzureWorkQueue(QueueServiceClient service, AzureResourceNames names, IOptions<WorkQueueOptions> options, ILogger<AzureWorkQueue> logger)
    {
        _service = service;
        _names = names;
        _options = options;
        _logger = logger;
        _queues = new AzureResourceCreator(CreateQueueAsync);
    }

    public Task EnqueueAsync(string queue, string body, TimeSpan? initialDelay = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var name = _names.Queue(queue);
        // Checked now rather than at the first dead-lettering: "{queue}-poison" must be a valid name too.
        var deadLetterName = _names.Queue(WorkQueueOptions.DeadLetterQueue(queue));
        var delay = initialDelay is { } d && d > TimeSpan.Zero ? WholeSeconds(d, minimum: 1) : (TimeSpan?)null;
        return SendAsync(name, deadLetterName, BinaryData.FromString(body), delay, cancellationToken);
    }

    public async Task<QueueMessage?> LeaseAsync(string queue, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        var client = _service.GetQueueClient(_names.Queue(queue));
        var visibility = WholeSeconds(visibilityTimeout, minimum: 1);
        var maxDequeue = _options.Value.MaxDequeueCount;
        for (var i = 0; i < MaxDeadLettersPerLease; i++)
        {
            SdkMessage[] messages;
            try
            {
                messages = (await client.ReceiveMessagesAsync(1, visibility, cancellationToken).ConfigureAwait(false)).Value;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return null; // A queue nobody has written to holds nothing.
            }
            catch (Exception ex) when (AzureFailure.IsFailure(ex, cancellationToken))
            {
                throw AzureFailure.Other(ex, "receive messages");
            }

            if (messages.Length == 0)
            {
                return null;
            }

            var message = messages[0];
            if (message.DequeueCount <= maxDequeue)
            {
                return new QueueMessage(queue, message.MessageId, message.PopReceipt, message.Body.ToString(),
                    (int)message.DequeueCount, message.InsertedOn ?? DateTimeOffset.MinValue);
            }

            await DeadLetterAsync(queue, client, message, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    public async Task<QueueMessage> RenewAsync(QueueMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var client = _service.GetQueueClient(_names.Queue(message.Queue));
        var visibility = WholeSeconds(visibilityTimeout, minimum: 0);
        try
        {
            // No new body: the service keeps the message's content and only moves its visibility.
            var receipt = await client.UpdateMessageAsync(message.Id, message.PopReceipt, (string?)null, visibility, cancellationToken).ConfigureAwait(false);
            return message with { PopReceipt = receipt.Value.PopReceipt };
        }
        catch (Exception ex) when (AzureFailure.IsFailure(ex, cancellationToken))
        {
            throw LeaseFailure(ex, message, "update message");
        }
    }

    public async Task CompleteAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var client = _service.GetQueueClient(_names.Queue(message.Queue));
        try
        {
            await client.DeleteMessageAsync(message.Id, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (AzureFailure.IsFailure(ex, cancellationToken))
        {
            throw LeaseFailure(ex, message, "delete message");
        }
    }

    public async Task<int> CountAsync(string queue, CancellationToken cancellationToken = default)
    {
        var client = _service.GetQueueClient(_names.Queue(queue));
        try
        {
            return (await client.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }
        catch (Exception ex) when (AzureFailure.IsFailure(ex, cancellationToken))
        {
            throw AzureFailure.Other(ex, "get queue properties");
        }
    }

    /// <summary>
    /// Copies the message to the dead-letter queue, then deletes the original. In that order a crash in between
    /// leaves a duplicate in the dead-letter queue rather than losing the message.
    /// </summary>
    private async Task DeadLetterAsync(string queue, QueueClient client, SdkMessage message, CancellationToken cancellationToken)
    {
        var deadLetter = WorkQueueOptions.DeadLetterQueue(queue);
        await SendAsync(_names.Queue(deadLetter), deadLetterName: null, message.Body, delay: null, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Someone else removed it already: the copy was all that was left to do.
        }
        catch (Exception ex) when (AzureFailure.IsFailure(ex, cancellationToken))
        {
            throw AzureFailure.Other(ex, "delete message");
        }

        AzureStorageLog.DeadLettered(_logger, message.MessageId, queue, deadLetter, (int)message.DequeueCount - 1);
    }

    /// <summary>Sends a message; a missing queue is created, together with its dead-letter queue when one is named.</summary>
    private async Task SendAsync(string name, string? deadLetterName, BinaryData body, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var client = _service.GetQueueClient(name);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await client.SendMessageAsync(body, delay, NeverExpires, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == "QueueNotFound" && attempt == 0)
            {
                await _queues.CreateAsync(name, cancellationToken).ConfigureAwait(false);
                if (deadLetterName is not null)
                {
                    // Created with its queue so that operators find it, and alerts on it work, before anything fails.
                    await _queues.CreateAsync(deadLetterName, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (AzureFailure.IsFailure(ex, cancellationToken))
            {
                throw AzureFailure.Other(ex, "send message");
            }
        }
    }

    // Not cancellable by one caller: others may be waiting for the same creation.
    private async Task CreateQueueAsync(string name)
    {
        try
        {
            // Null when the queue existed already, which is all that was needed.
            if (await _service.GetQueueClient(name).CreateIfNotExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false) is not null)
            {
                AzureStorageLog.CreatedQueue(_logger, name);
            }
        }
        catch (Exception ex) when (AzureFailure.IsFailure(ex, CancellationToken.None))
        {
            throw AzureFailure.Other(ex, "create queue");
        }
    }

    /// <summary>The message is gone (404) or another lease holds it (400 PopReceiptMismatch).</summary>
    private static TableStoreException LeaseFailure(Exception exception, QueueMessage message, string operation) =>
        exception is RequestFailedException { Status: 404 } or RequestFailedException { Status: 400, ErrorCode: "PopReceiptMismatch" }
            ? new LeaseLostException(message.Queue, message.Id)
            : AzureFailure.Other(exception, operation);

    private static TimeSpan WholeSeconds(TimeSpan value, int minimum)
    {
        if (value > MaxVisibility)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "The queue service accepts visibility timeouts of at most seven days.");
        }

        return TimeSpan.FromSeconds(Math.Max(minimum, (int)Math.Ceiling(value.TotalSeconds)));
    }
}
