using Microsoft.Extensions.Logging;

namespace NodeOps.Executions;

/// <summary>The engine's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Lane {Item} of {TaskId} failed; the orchestration runs it again")]
    public static partial void ItemFailed(ILogger logger, Exception exception, string taskId, string item);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Node {Node} of {TaskId} was running on a lost instance; marked interrupted")]
    public static partial void NodeInterrupted(ILogger logger, string taskId, string node);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Watching {TaskId} failed for a moment: {Reason}")]
    public static partial void WatchFailed(ILogger logger, string taskId, string reason);
}
