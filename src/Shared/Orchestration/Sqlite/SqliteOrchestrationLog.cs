using Microsoft.Extensions.Logging;

namespace NodeOps.Orchestration.Sqlite;

internal static partial class SqliteOrchestrationLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information,
        Message = "The result of activity work item {WorkItemId} for orchestration {InstanceId} was not delivered: its lease was taken over or the instance is gone.")]
    public static partial void ActivityResultDropped(ILogger logger, string workItemId, string instanceId);
}
