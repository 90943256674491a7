using Microsoft.Extensions.Logging;

namespace NodeOps.Executions;

/// <summary>The engine's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Lane {Lane} of {TaskId} failed; the orchestration runs it again")]
    public static partial void LaneFailed(ILogger logger, Exception exception, string taskId, string lane);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Node {Node} of {TaskId} was running on a lost instance; marked interrupted")]
    public static partial void NodeInterrupted(ILogger logger, string taskId, string node);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Watching {TaskId} failed for a moment: {Reason}")]
    public static partial void WatchFailed(ILogger logger, string taskId, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "The orchestration of {TaskId} could not be started; the execution is marked failed")]
    public static partial void StartFailed(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "The cancel of {TaskId} was recorded but could not be raised to its orchestration")]
    public static partial void CancelEventFailed(ILogger logger, Exception exception, string taskId);
}
