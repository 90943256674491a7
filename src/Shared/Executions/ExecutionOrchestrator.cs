using Microsoft.DurableTask;

namespace NodeOps.Executions;

/// <summary>
/// One execution as a Durable Task orchestration, instance id = task id: wait until the kind admits it (only kinds
/// with a limit across instances are asked), run its
/// lanes side by side (a lane that is deferred or released is called again after a durable timer), then finalize.
/// A cancel is recorded in the table store and raised here as <see cref="CancelEvent"/>: a wait for admission ends
/// at once, and no lane is called again. Lanes already running see the store's flag themselves.
/// The API never reads this history: activities write the execution's state to the table store.
/// </summary>
public sealed class ExecutionOrchestrator : TaskOrchestrator<ExecutionStart, bool>
{
    /// <summary>The external event <see cref="ExecutionService.CancelAsync"/> raises after recording the cancel (payload: who cancelled).</summary>
    public const string CancelEvent = "cancel";

    public override async Task<bool> RunAsync(TaskOrchestrationContext context, ExecutionStart input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var cancelled = context.WaitForExternalEvent<string>(CancelEvent);
        while (input.Admit && await context.CallActivityAsync<TimeSpan?>(nameof(AdmitExecution), input.TaskId) is { } wait)
        {
            // Once cancelled, admission answers null (the lanes see the cancel and skip their nodes).
            await WaitAsync(context, wait, cancelled);
        }

        await Task.WhenAll(input.Lanes.Select(lane => RunLaneAsync(context, new LaneInput(input.TaskId, lane), cancelled)));
        await context.CallActivityAsync(nameof(FinalizeExecution), input.TaskId);
        return true;
    }

    /// <summary>
    /// A lane is one activity that runs all its nodes, so the history grows with the lanes (a handful), never with
    /// the nodes: it is called again only when it was deferred, released or failed, and never after a cancel.
    /// </summary>
    private static async Task RunLaneAsync(TaskOrchestrationContext context, LaneInput lane, Task cancelled)
    {
        LaneOutcome outcome;
        do
        {
            try
            {
                outcome = await context.CallActivityAsync<LaneOutcome>(nameof(RunLane), lane);
            }
            catch (TaskFailedException)
            {
                // The handler threw; its claims keep nodes from running twice, so the lane is simply run again.
                outcome = LaneOutcome.After(TimeSpan.FromSeconds(1));
            }

            if (!outcome.IsDone)
            {
                await WaitAsync(context, outcome.RetryAfter, cancelled);
            }
        }
        // A cancelled lane's nodes not yet claimed become skipped when the execution is finalized.
        while (!outcome.IsDone && !cancelled.IsCompleted);
    }

    /// <summary>A durable timer that a cancel cuts short; the timer is cancelled so nothing is left outstanding.</summary>
    private static async Task WaitAsync(TaskOrchestrationContext context, TimeSpan delay, Task cancelled)
    {
        if (delay <= TimeSpan.Zero || cancelled.IsCompleted)
        {
            return;
        }

        using var stop = new CancellationTokenSource();
        var timer = context.CreateTimer(context.CurrentUtcDateTime + delay, stop.Token);
        if (await Task.WhenAny(timer, cancelled) != timer)
        {
            // Synchronously: an orchestrator's continuations must stay on its own thread (CancelAsync would not).
#pragma warning disable CA1849
            stop.Cancel();
#pragma warning restore CA1849
        }
    }
}
