using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NodeOps.Storage.Azure;

/// <summary>
/// The work-queue port over the Azure Queue Storage REST API. Delivery counting and dead-lettering follow the
/// SQLite adapter: a message is delivered at most <see cref="WorkQueueOptions.MaxDequeueCount"/> times; the lease
/// that would deliver it once more moves it to "{queue}-poison" instead.
/// </summary>
internal sealed class AzureWorkQueue : IWorkQueue
{
    private const string XmlContentType = "application/xml";

    // The service's bounds on visibility: whole seconds, at most seven days.
    private static readonly TimeSpan MaxVisibility = TimeSpan.FromDays(7);

    // Bounds one lease call on a queue full of exhausted messages; the caller simply polls again.
    private const int MaxDeadLettersPerLease = 32;

    private readonly AzureRequestSender _sender;
    private readonly AzureResourceNames _names;
    private readonly IOptions<WorkQueueOptions> _options;
    private readonly ILogger<AzureWorkQueue> _logger;
    private readonly string _baseUrl;
    private readonly AzureResourceCreator _queues;

    public AzureWorkQueue(
        AzureRequestSender sender, Uri queueEndpoint, AzureResourceNames names, IOptions<WorkQueueOptions> options, ILogger<AzureWorkQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(queueEndpoint);
        _sender = sender;
        _names = names;
        _options = options;
        _logger = logger;
        _baseUrl = queueEndpoint.AbsoluteUri.EndsWith('/') ? queueEndpoint.AbsoluteUri : queueEndpoint.AbsoluteUri + "/";
        _queues = new AzureResourceCreator(SendCreateQueueAsync);
    }

    public Task EnqueueAsync(string queue, string body, TimeSpan? initialDelay = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var name = _names.Queue(queue);
        // Checked now rather than at the first dead-lettering: "{queue}-poison" must be a valid name too.
        var deadLetterName = _names.Queue(WorkQueueOptions.DeadLetterQueue(queue));
        // Base64 keeps any text (XML markup, control characters) intact, as the Azure SDKs do by default.
        return PutMessageAsync(name, deadLetterName, Convert.ToBase64String(Encoding.UTF8.GetBytes(body)), initialDelay, cancellationToken);
    }

    public async Task<QueueMessage?> LeaseAsync(string queue, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        var name = _names.Queue(queue);
        var seconds = Seconds(visibilityTimeout, minimum: 1);
        var url = $"{_baseUrl}{name}/messages?numofmessages=1&visibilitytimeout={seconds}";
        var maxDequeue = _options.Value.MaxDequeueCount;
        for (var i = 0; i < MaxDeadLettersPerLease; i++)
        {
            using var response = await _sender.SendAsync(AzureServiceKind.Queue, "get messages",
                () => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null; // A queue nobody has written to holds nothing.
            }

            await AzureError.ThrowIfFailedAsync(response, "get messages", cancellationToken).ConfigureAwait(false);
            var messages = AzureQueueMessageXml.ParseList(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            if (messages.Count == 0)
            {
                return null;
            }

            var message = messages[0];
            if (message.DequeueCount <= maxDequeue)
            {
                return new QueueMessage(queue, message.MessageId, message.PopReceipt,
                    Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText)), message.DequeueCount, message.InsertionTime);
            }

            await DeadLetterAsync(queue, name, message, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    public async Task<QueueMessage> RenewAsync(QueueMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var url = $"{MessageUrl(message.Queue, message.Id, message.PopReceipt)}&visibilitytimeout={Seconds(visibilityTimeout, minimum: 0)}";
        using var response = await _sender.SendAsync(AzureServiceKind.Queue, "update message",
            () => new HttpRequestMessage(HttpMethod.Put, url), cancellationToken).ConfigureAwait(false);
        await ThrowIfLeaseLostAsync(response, message, cancellationToken).ConfigureAwait(false);
        await AzureError.ThrowIfFailedAsync(response, "update message", cancellationToken).ConfigureAwait(false);
        var receipt = response.Headers.TryGetValues("x-ms-popreceipt", out var values) ? values.FirstOrDefault() : null;
        return message with
        {
            PopReceipt = receipt ?? throw new AzureStorageRequestException("update message",
                new AzureError(response.StatusCode, "MissingPopReceipt", "The service renewed a lease without a new pop receipt")),
        };
    }

    public async Task CompleteAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var url = MessageUrl(message.Queue, message.Id, message.PopReceipt);
        using var response = await _sender.SendAsync(AzureServiceKind.Queue, "delete message",
            () => new HttpRequestMessage(HttpMethod.Delete, url), cancellationToken).ConfigureAwait(false);
        await ThrowIfLeaseLostAsync(response, message, cancellationToken).ConfigureAwait(false);
        await AzureError.ThrowIfFailedAsync(response, "delete message", cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> CountAsync(string queue, CancellationToken cancellationToken = default)
    {
        var url = $"{_baseUrl}{_names.Queue(queue)}?comp=metadata";
        using var response = await _sender.SendAsync(AzureServiceKind.Queue, "get queue metadata",
            () => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return 0;
        }

        await AzureError.ThrowIfFailedAsync(response, "get queue metadata", cancellationToken).ConfigureAwait(false);
        return response.Headers.TryGetValues("x-ms-approximate-messages-count", out var values) &&
               int.TryParse(values.FirstOrDefault(), CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new AzureStorageRequestException("get queue metadata",
                new AzureError(response.StatusCode, "MissingMessageCount", "The service answered without x-ms-approximate-messages-count"));
    }

    /// <summary>
    /// Copies the message to the dead-letter queue, then deletes the original. In that order a crash in between
    /// leaves a duplicate in the dead-letter queue rather than losing the message.
    /// </summary>
    private async Task DeadLetterAsync(string queue, string name, AzureQueueMessageXml.ReceivedMessage message, CancellationToken cancellationToken)
    {
        var deadLetter = WorkQueueOptions.DeadLetterQueue(queue);
        await PutMessageAsync(_names.Queue(deadLetter), deadLetterName: null, message.MessageText, initialDelay: null, cancellationToken).ConfigureAwait(false);
        var url = $"{_baseUrl}{name}/messages/{Uri.EscapeDataString(message.MessageId)}?popreceipt={Uri.EscapeDataString(message.PopReceipt)}";
        using var response = await _sender.SendAsync(AzureServiceKind.Queue, "delete message",
            () => new HttpRequestMessage(HttpMethod.Delete, url), cancellationToken).ConfigureAwait(false);
        // A 404 means the copy is all that is left to do; any other failure is real.
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await AzureError.ThrowIfFailedAsync(response, "delete message", cancellationToken).ConfigureAwait(false);
        }

        AzureStorageLog.DeadLettered(_logger, message.MessageId, queue, deadLetter, message.DequeueCount - 1);
    }

    /// <summary>Puts a message; a missing queue is created, together with its dead-letter queue when one is named.</summary>
    private async Task PutMessageAsync(string name, string? deadLetterName, string messageText, TimeSpan? initialDelay, CancellationToken cancellationToken)
    {
        // messagettl=-1: work items never expire, as in the SQLite adapter (the service's default is seven days).
        var url = new StringBuilder(_baseUrl).Append(name).Append("/messages?messagettl=-1");
        if (initialDelay is { } delay && delay > TimeSpan.Zero)
        {
            url.Append("&visibilitytimeout=").Append(Seconds(delay, minimum: 1).ToString(CultureInfo.InvariantCulture));
        }

        var requestUrl = url.ToString();
        var body = AzureQueueMessageXml.PutBody(messageText);
        HttpRequestMessage Create() => new(HttpMethod.Post, requestUrl) { Content = AzureRequestSender.Content(body, XmlContentType) };

        var response = await _sender.SendAsync(AzureServiceKind.Queue, "put message", Create, cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotFound &&
                (await AzureError.ReadAsync(response, cancellationToken).ConfigureAwait(false)).Code == "QueueNotFound")
            {
                response.Dispose();
                await _queues.CreateAsync(name, cancellationToken).ConfigureAwait(false);
                if (deadLetterName is not null)
                {
                    // Created with its queue so that operators find it, and alerts on it work, before anything fails.
                    await _queues.CreateAsync(deadLetterName, cancellationToken).ConfigureAwait(false);
                }

                response = await _sender.SendAsync(AzureServiceKind.Queue, "put message", Create, cancellationToken).ConfigureAwait(false);
            }

            await AzureError.ThrowIfFailedAsync(response, "put message", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            response.Dispose();
        }
    }

    private async Task SendCreateQueueAsync(string name)
    {
        using var response = await _sender.SendAsync(AzureServiceKind.Queue, "create queue",
            () => new HttpRequestMessage(HttpMethod.Put, _baseUrl + name), CancellationToken.None).ConfigureAwait(false);
        // 204 or 409: the queue exists already, which is all that was needed.
        if (response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.Conflict)
        {
            return;
        }

        await AzureError.ThrowIfFailedAsync(response, "create queue", CancellationToken.None).ConfigureAwait(false);
        AzureStorageLog.CreatedResource(_logger, AzureServiceKind.Queue, name);
    }

    /// <summary>The message is gone (404) or another lease holds it (400 PopReceiptMismatch on Azure).</summary>
    private static async Task ThrowIfLeaseLostAsync(HttpResponseMessage response, QueueMessage message, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NotFound ||
            (response.StatusCode == HttpStatusCode.BadRequest &&
             (await AzureError.ReadAsync(response, cancellationToken).ConfigureAwait(false)).Code == "PopReceiptMismatch"))
        {
            throw new LeaseLostException(message.Queue, message.Id);
        }
    }

    private string MessageUrl(string queue, string id, string popReceipt) =>
        $"{_baseUrl}{_names.Queue(queue)}/messages/{Uri.EscapeDataString(id)}?popreceipt={Uri.EscapeDataString(popReceipt)}";

    private static int Seconds(TimeSpan value, int minimum)
    {
        if (value > MaxVisibility)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "The queue service accepts visibility timeouts of at most seven days.");
        }

        return Math.Max(minimum, (int)Math.Ceiling(value.TotalSeconds));
    }
}
