using Microsoft.Extensions.Logging;

namespace NodeOps.Executions;

/// <summary>The engine's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "Dropped malformed work item message {MessageId}")]
    public static partial void DroppedMalformed(ILogger logger, string messageId);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Work item {Item} of {TaskId} failed; it will be delivered again")]
    public static partial void ItemFailed(ILogger logger, Exception exception, string taskId, string item);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Lost the lease on work item {Item} of {TaskId}; another instance took it over")]
    public static partial void LeaseLost(ILogger logger, string taskId, string item);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Node {Node} of {TaskId} was running on a lost instance; marked interrupted")]
    public static partial void NodeInterrupted(ILogger logger, string taskId, string node);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Watching {TaskId} failed for a moment: {Reason}")]
    public static partial void WatchFailed(ILogger logger, string taskId, string reason);
}
