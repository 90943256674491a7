using DurableTask.Core;

namespace NodeOps.Orchestration.Sqlite;

/// <summary>An orchestration work item that remembers which stored messages it consumed and which history it saw.</summary>
internal sealed class SqliteOrchestrationWorkItem : TaskOrchestrationWorkItem
{
    public required IReadOnlyList<long> EventIds { get; init; }

    public required IReadOnlyList<long> TimerIds { get; init; }

    public required string StoredExecutionId { get; init; }
}
