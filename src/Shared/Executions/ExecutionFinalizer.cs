using NodeOps.Progress;

namespace NodeOps.Executions;

/// <summary>
/// Brings an execution whose lanes are all done to its final status. Nodes never started become skipped,
/// nodes still marked running (their runner was lost) become interrupted, and the counts come from the node rows,
/// so they always add up.
/// </summary>
public sealed class ExecutionFinalizer(ExecutionStore store, IProgressPublisher progress, ExecutionProgressTracker tracker, TimeProvider time)
{
    public async Task FinalizeAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var execution = await store.GetAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (execution is null || execution.IsFinished)
        {
            return;
        }

        IReadOnlyList<StoredNode> nodes = [];
        for (var pass = 0; pass < 5; pass++)
        {
            nodes = await store.ListNodesAsync(taskId, cancellationToken).ConfigureAwait(false);
            var open = nodes.Where(n => !n.Record.Status.IsFinal()).ToList();
            if (open.Count == 0)
            {
                break;
            }

            var now = time.GetUtcNow();
            foreach (var node in open)
            {
                var next = node.Record.Status == NodeStatus.Pending
                    ? node.Record with { Status = NodeStatus.Skipped, Message = execution.CancelRequested ? "执行已取消，节点未运行" : "节点未运行" }
                    : node.Record with { Status = NodeStatus.Interrupted, EndedAt = now, Message = "运行该节点的实例已中断，结果未知；不会自动重跑" };
                await store.TryTransitionAsync(taskId, node, next, cancellationToken).ConfigureAwait(false);
            }
        }

        var counts = ExecutionCounts.From(nodes.Select(n => n.Record.Status));
        var status = execution.CancelRequested
            ? ExecutionStatus.Cancelled
            : counts.Success == counts.Total ? ExecutionStatus.Completed : ExecutionStatus.Failed;
        var final = await store.UpdateAsync(taskId, current => current.IsFinished
            ? null
            : current with { Status = status, EndedAt = time.GetUtcNow(), Counts = counts, OpenLanes = [] }, cancellationToken).ConfigureAwait(false);
        tracker.Forget(taskId);
        if (final is not null)
        {
            progress.Publish(ExecutionEvents.Snapshot(final, final.Counts ?? counts, time.GetUtcNow()) with { Type = ProgressEventTypes.Complete });
        }
    }
}
