using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Progress;
using NodeOps.Storage;

namespace NodeOps.Executions;

/// <summary>
/// What the execution orchestration's activities do, the same for every kind: admit a pending execution, run one
/// lane through its kind's handler and finalize. Activities are delivered at least once, so a lane's claims left
/// running by an earlier attempt become interrupted instead of running again, and a cancel made on any instance is
/// noticed by polling the store.
/// </summary>
public sealed class ExecutionActivities(
    ExecutionStore store,
    ExecutionHandlers handlers,
    ExecutionFinalizer finalizer,
    ExecutionCancellations cancellations,
    ExecutionProgressTracker tracker,
    ExecutionInstance instance,
    IProgressPublisher progress,
    TimeProvider time,
    IOptions<ExecutionsOptions> options,
    ILogger<ExecutionActivities> logger,
    IHostApplicationLifetime? lifetime = null)
{
    /// <summary>How long to wait before asking again, or null when the execution may start (or is gone or finished).</summary>
    public async Task<TimeSpan?> AdmitAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var execution = await store.GetAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (execution is not { Status: ExecutionStatus.Pending, CancelRequested: false })
        {
            return null;
        }

        // A kind this instance does not know may be known to another (a newer version): ask again later.
        var handler = handlers.Find(execution.Kind);
        return handler is null
            ? options.Value.UnknownKindRetry
            : await handler.AdmitAsync(execution, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one lane; the outcome says whether it is done or must be called again after a delay.</summary>
    public async Task<LaneOutcome> RunLaneAsync(string taskId, string lane)
    {
        var settings = options.Value;
        // One read-and-write: a pending execution this lane may run is marked running as it is read.
        var started = false;
        var execution = await store.UpdateAsync(taskId, current =>
        {
            started = current.Status == ExecutionStatus.Pending && current.OpenLanes.Contains(lane) && handlers.Find(current.Kind) is not null;
            return started ? current with { Status = ExecutionStatus.Running, StartedAt = time.GetUtcNow() } : null;
        }, CancellationToken.None).ConfigureAwait(false);
        if (execution is null || execution.IsFinished || !execution.OpenLanes.Contains(lane))
        {
            // A repeated delivery: this lane was fanned in already.
            return LaneOutcome.Done;
        }

        var handler = handlers.Find(execution.Kind);
        if (handler is null)
        {
            return LaneOutcome.After(settings.UnknownKindRetry);
        }

        if (started)
        {
            var (finished, total) = tracker.Observe(execution.TaskId, 0, execution.TargetNodes.Count);
            progress.Publish(ExecutionEvents.Start(execution, finished, total, time.GetUtcNow()));
        }

        var nodes = await InterruptLostClaimsAsync(execution, lane).ConfigureAwait(false);

        var draining = lifetime?.ApplicationStopping ?? CancellationToken.None;
        using var cancelled = new CancellationTokenSource();
        using var stopNow = CancellationTokenSource.CreateLinkedTokenSource(cancelled.Token);
        using var stopClaiming = CancellationTokenSource.CreateLinkedTokenSource(cancelled.Token, draining);
        await using var watch = cancellations.Start(execution.TaskId, cancelled).ConfigureAwait(false);
        using var drainDeadline = draining.Register(() => stopNow.CancelAfter(settings.DrainTimeout));
        if (execution.CancelRequested)
        {
            await cancelled.CancelAsync().ConfigureAwait(false);
        }

        var context = new LaneContext(execution, lane, nodes, instance.Id, store, progress, tracker, time,
            cancelled.Token, stopClaiming.Token, stopNow.Token);
        LaneOutcome outcome;
        try
        {
            outcome = await handler.RunAsync(context, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The activity fails and the orchestration calls the lane again; its claims protect the nodes.
            Log.LaneFailed(logger, ex, execution.TaskId, lane);
            throw;
        }

        if (!outcome.IsDone)
        {
            // Deferred (a limit is reached) or given back early (this instance is stopping): called again after the delay.
            return outcome;
        }

        await store.UpdateAsync(execution.TaskId, current => current.OpenLanes.Contains(lane)
            ? current with { OpenLanes = current.OpenLanes.Where(i => i != lane).ToList() }
            : null, CancellationToken.None).ConfigureAwait(false);
        return LaneOutcome.Done;
    }

    /// <summary>Brings the execution to its final status once every lane is done.</summary>
    public Task FinalizeAsync(string taskId, CancellationToken cancellationToken = default) =>
        finalizer.FinalizeAsync(taskId, cancellationToken);

    /// <summary>
    /// Rows this lane left running on an earlier delivery belong to a lost attempt (a lane runs in one activity at a
    /// time). They become interrupted and are never run again. Returns the execution's rows as they stand now, the
    /// lane's one read of them: a row changed elsewhere since only makes its conditional claim fail.
    /// </summary>
    private async Task<IReadOnlyList<StoredNode>> InterruptLostClaimsAsync(ExecutionRecord execution, string lane)
    {
        var nodes = (await store.ListNodesAsync(execution.TaskId).ConfigureAwait(false)).ToList();
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (node.Record.Status != NodeStatus.Running || node.Record.Lane != lane)
            {
                continue;
            }

            var interrupted = node.Record with
            {
                Status = NodeStatus.Interrupted,
                EndedAt = time.GetUtcNow(),
                Message = "运行该节点的实例已中断，结果未知；不会自动重跑",
            };
            if (await store.TryTransitionAsync(execution.TaskId, node, interrupted).ConfigureAwait(false) is { } row)
            {
                nodes[i] = row;
                Log.NodeInterrupted(logger, execution.TaskId, node.Record.Node);
                var (finished, total) = tracker.NodeFinished(execution.TaskId);
                progress.Publish(ExecutionEvents.Node(execution, interrupted, finished, total, time.GetUtcNow()));
            }
        }

        tracker.Observe(execution.TaskId, nodes.Count(n => n.Record.Status.IsFinal()), nodes.Count);
        return nodes;
    }
}
