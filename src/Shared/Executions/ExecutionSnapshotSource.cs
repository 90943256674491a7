using NodeOps.Progress;

namespace NodeOps.Executions;

/// <summary>Progress snapshots of executions, from the shared store: exact wherever the execution runs.</summary>
public sealed class ExecutionSnapshotSource(ExecutionStore store, TimeProvider time) : IProgressSnapshotSource
{
    public async Task<ProgressSnapshot?> GetSnapshotAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var execution = await store.GetAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (execution is null)
        {
            return null;
        }

        var counts = execution.Counts ?? ExecutionCounts.From((await store.ListNodesAsync(taskId, cancellationToken).ConfigureAwait(false)).Select(n => n.Record.Status));
        var snapshot = ExecutionEvents.Snapshot(execution, counts, time.GetUtcNow()) with { Type = ProgressEventTypes.Snapshot };
        return new ProgressSnapshot(snapshot, execution.IsFinished, $"{execution.Status}/{counts.Running}/{counts.Finished}/{execution.CancelRequested}");
    }
}
