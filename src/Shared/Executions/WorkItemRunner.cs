using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Progress;
using NodeOps.Scheduling;
using NodeOps.Storage;

namespace NodeOps.Executions;

/// <summary>
/// Runs one leased work item through its kind's handler, doing for every kind what makes the engine durable:
/// lost claims of an earlier attempt become interrupted, the lease is renewed while the item runs, a cancel made
/// anywhere is noticed, and the item's end is fanned in; the item that closes the execution finalizes it.
/// </summary>
public sealed class WorkItemRunner(
    ExecutionStore store,
    ExecutionHandlers handlers,
    ExecutionFinalizer finalizer,
    IWorkQueue queue,
    ExecutionCancellations cancellations,
    ExecutionProgressTracker tracker,
    ExecutionInstance instance,
    IProgressPublisher progress,
    TimeProvider time,
    IOptions<ExecutionsOptions> options,
    ILogger<WorkItemRunner> logger)
{
    /// <param name="message">The leased message.</param>
    /// <param name="draining">Fires when this instance is stopping: no new nodes, running ones get the drain time.</param>
    public async Task ProcessAsync(QueueMessage message, CancellationToken draining)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var item = WorkItemMessage.TryParse(message.Body);
        if (item is null)
        {
            Log.DroppedMalformed(logger, message.Id);
            await CompleteQuietlyAsync(message).ConfigureAwait(false);
            return;
        }

        var execution = await store.GetAsync(item.TaskId, CancellationToken.None).ConfigureAwait(false);
        if (execution is null)
        {
            // Queued before its execution row was written; wait for it, unless its submitter never got that far.
            if (time.GetUtcNow() - message.InsertedAt < settings.OrphanItemAge)
            {
                await ReleaseAsync(message, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
            else
            {
                await CompleteQuietlyAsync(message).ConfigureAwait(false);
            }

            return;
        }

        if (execution.IsFinished || !execution.OpenWorkItems.Contains(item.Item))
        {
            // A late or repeated delivery. Its fan-in happened; finish the finalization if the finisher was lost.
            if (!execution.IsFinished && execution.OpenWorkItems.Count == 0)
            {
                await finalizer.FinalizeAsync(execution.TaskId, CancellationToken.None).ConfigureAwait(false);
            }

            await CompleteQuietlyAsync(message).ConfigureAwait(false);
            return;
        }

        var handler = handlers.Find(execution.Kind);
        if (handler is null)
        {
            // Another instance (a newer version) may know this kind.
            await ReleaseAsync(message, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            return;
        }

        if (execution is { Status: ExecutionStatus.Pending, CancelRequested: false }
            && await handler.AdmitAsync(execution, CancellationToken.None).ConfigureAwait(false) is { } wait)
        {
            // Not admitted yet: it stays pending. A fresh message, so waiting does not count towards the dead-letter limit.
            await queue.EnqueueAsync(message.Queue, item.ToBody(), wait, CancellationToken.None).ConfigureAwait(false);
            await CompleteQuietlyAsync(message).ConfigureAwait(false);
            return;
        }

        execution = await StartAsync(execution).ConfigureAwait(false);
        await InterruptLostClaimsAsync(execution, item.Item).ConfigureAwait(false);

        using var cancelled = new CancellationTokenSource();
        using var stopNow = CancellationTokenSource.CreateLinkedTokenSource(cancelled.Token);
        using var stopClaiming = CancellationTokenSource.CreateLinkedTokenSource(cancelled.Token, draining);
        using var registration = cancellations.Register(execution.TaskId, cancelled);
        using var drainDeadline = draining.Register(() => stopNow.CancelAfter(settings.DrainTimeout));
        if (execution.CancelRequested)
        {
            await cancelled.CancelAsync().ConfigureAwait(false);
        }

        var leaseLost = 0;
        var lease = new LeaseHolder(message);
        var context = new WorkItemContext(execution, item.Item, message.DequeueCount, instance.Id, store, progress, tracker, time,
            () => Volatile.Read(ref leaseLost) != 0, cancelled.Token, stopClaiming.Token, stopNow.Token);
        using var watching = new CancellationTokenSource();
        var watcher = WatchAsync(execution.TaskId, lease, cancelled, () =>
        {
            Volatile.Write(ref leaseLost, 1);
            stopNow.Cancel();
        }, watching.Token);

        WorkItemOutcome outcome;
        try
        {
            outcome = await handler.RunAsync(context, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not completed: the lease runs out and the item is delivered again; its claims protect the nodes.
            Log.ItemFailed(logger, ex, execution.TaskId, item.Item);
            await watching.CancelAsync().ConfigureAwait(false);
            await watcher.ConfigureAwait(false);
            return;
        }

        await watching.CancelAsync().ConfigureAwait(false);
        await watcher.ConfigureAwait(false);
        if (Volatile.Read(ref leaseLost) != 0)
        {
            Log.LeaseLost(logger, execution.TaskId, item.Item);
            return;
        }

        switch (outcome.Kind)
        {
            case WorkItemOutcomeKind.Deferred:
                // A fresh message, so waiting does not count towards the dead-letter limit.
                await queue.EnqueueAsync(lease.Message.Queue, item.ToBody(), outcome.Delay, CancellationToken.None).ConfigureAwait(false);
                await CompleteQuietlyAsync(lease.Message).ConfigureAwait(false);
                return;
            case WorkItemOutcomeKind.Released:
                await ReleaseAsync(lease.Message, TimeSpan.Zero).ConfigureAwait(false);
                return;
        }

        var after = await store.UpdateAsync(execution.TaskId, current => current.OpenWorkItems.Contains(item.Item)
            ? current with { OpenWorkItems = current.OpenWorkItems.Where(i => i != item.Item).ToList() }
            : null, CancellationToken.None).ConfigureAwait(false);
        if (after is { IsFinished: false, OpenWorkItems.Count: 0 })
        {
            await finalizer.FinalizeAsync(execution.TaskId, CancellationToken.None).ConfigureAwait(false);
        }

        await CompleteQuietlyAsync(lease.Message).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives up a dead-lettered item: it failed on every delivery. Its lost claims become interrupted and it is
    /// fanned in, so the execution still reaches a final status.
    /// </summary>
    public async Task AbandonAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var item = WorkItemMessage.TryParse(message.Body);
        var execution = item is null ? null : await store.GetAsync(item.TaskId, cancellationToken).ConfigureAwait(false);
        if (item is not null && execution is { IsFinished: false })
        {
            await InterruptLostClaimsAsync(execution, item.Item).ConfigureAwait(false);
            var after = await store.UpdateAsync(execution.TaskId, current => current.OpenWorkItems.Contains(item.Item)
                ? current with { OpenWorkItems = current.OpenWorkItems.Where(i => i != item.Item).ToList(), Error = $"工作项 {item.Item} 多次失败，已放弃" }
                : null, cancellationToken).ConfigureAwait(false);
            if (after is { IsFinished: false, OpenWorkItems.Count: 0 })
            {
                await finalizer.FinalizeAsync(execution.TaskId, cancellationToken).ConfigureAwait(false);
            }
        }

        await CompleteQuietlyAsync(message).ConfigureAwait(false);
    }

    private async Task<ExecutionRecord> StartAsync(ExecutionRecord execution)
    {
        if (execution.Status != ExecutionStatus.Pending)
        {
            return execution;
        }

        var started = await store.UpdateAsync(execution.TaskId, current => current.Status == ExecutionStatus.Pending
            ? current with { Status = ExecutionStatus.Running, StartedAt = time.GetUtcNow() }
            : null).ConfigureAwait(false) ?? execution;
        var (finished, total) = tracker.Observe(execution.TaskId, 0, execution.TargetNodes.Count);
        progress.Publish(ExecutionEvents.Start(started, finished, total, time.GetUtcNow()));
        return started;
    }

    /// <summary>
    /// Rows this item left running on an earlier delivery belong to a lost attempt (an item is held by one
    /// instance at a time). They become interrupted and are never run again.
    /// </summary>
    private async Task InterruptLostClaimsAsync(ExecutionRecord execution, string item)
    {
        var nodes = await store.ListNodesAsync(execution.TaskId).ConfigureAwait(false);
        foreach (var node in nodes.Where(n => n.Record.Status == NodeStatus.Running && n.Record.WorkItem == item))
        {
            var interrupted = node.Record with
            {
                Status = NodeStatus.Interrupted,
                EndedAt = time.GetUtcNow(),
                Message = "运行该节点的实例已中断，结果未知；不会自动重跑",
            };
            if (await store.TryTransitionAsync(execution.TaskId, node, interrupted).ConfigureAwait(false) is not null)
            {
                Log.NodeInterrupted(logger, execution.TaskId, node.Record.Node);
                var (finished, total) = tracker.NodeFinished(execution.TaskId);
                progress.Publish(ExecutionEvents.Node(execution, interrupted, finished, total, time.GetUtcNow()));
            }
        }

        var all = await store.ListNodesAsync(execution.TaskId).ConfigureAwait(false);
        tracker.Observe(execution.TaskId, all.Count(n => n.Record.Status.IsFinal()), all.Count);
    }

    /// <summary>Renews the lease and polls for a cancel made on another instance, until the item ends.</summary>
    private async Task WatchAsync(string taskId, LeaseHolder lease, CancellationTokenSource cancelled, Action onLeaseLost, CancellationToken stop)
    {
        var settings = options.Value;
        var renewEvery = settings.LeaseDuration / 3;
        var tick = renewEvery < settings.CancelPollInterval ? renewEvery : settings.CancelPollInterval;
        var lastRenew = time.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(tick, time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (time.GetElapsedTime(lastRenew) >= renewEvery)
                {
                    lease.Message = await queue.RenewAsync(lease.Message, settings.LeaseDuration, CancellationToken.None).ConfigureAwait(false);
                    lastRenew = time.GetTimestamp();
                }

                if (!cancelled.IsCancellationRequested && await store.GetAsync(taskId, CancellationToken.None).ConfigureAwait(false) is { CancelRequested: true })
                {
                    await cancelled.CancelAsync().ConfigureAwait(false);
                }
            }
            catch (LeaseLostException)
            {
                onLeaseLost();
                return;
            }
            catch (Exception ex) when (ex is TableStoreException or IOException or HttpRequestException)
            {
                // A store hiccup: try again on the next tick; the lease has two more renewals of slack.
                Log.WatchFailed(logger, taskId, ex.Message);
            }
        }
    }

    private async Task ReleaseAsync(QueueMessage message, TimeSpan delay)
    {
        try
        {
            await queue.RenewAsync(message, delay).ConfigureAwait(false);
        }
        catch (LeaseLostException)
        {
        }
    }

    private async Task CompleteQuietlyAsync(QueueMessage message)
    {
        try
        {
            await queue.CompleteAsync(message).ConfigureAwait(false);
        }
        catch (LeaseLostException)
        {
            // Someone else holds it now; they will find the item already fanned in.
        }
    }

    /// <summary>The current lease on the message; each renewal brings a new pop receipt.</summary>
    private sealed class LeaseHolder(QueueMessage message)
    {
        public QueueMessage Message { get; set; } = message;
    }
}
