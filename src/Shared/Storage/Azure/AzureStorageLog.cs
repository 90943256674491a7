using Microsoft.Extensions.Logging;

namespace NodeOps.Storage.Azure;

/// <summary>Log messages of the Azure storage adapters. They name operations and resources, never credentials.</summary>
internal static partial class AzureStorageLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning,
        Message = "Azure {Service} {Operation} attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms")]
    public static partial void RetryingRequest(ILogger logger, AzureServiceKind service, string operation, int attempt, string reason, long delayMs);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Created Azure {Service} resource {Name}")]
    public static partial void CreatedResource(ILogger logger, AzureServiceKind service, string name);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning,
        Message = "Moved message {MessageId} from queue {Queue} to {DeadLetterQueue} after {DequeueCount} deliveries")]
    public static partial void DeadLettered(ILogger logger, string messageId, string queue, string deadLetterQueue, int dequeueCount);
}
