using Microsoft.DurableTask;

namespace NodeOps.Executions;

/// <summary>
/// One execution as a Durable Task orchestration, instance id = task id: wait until the kind admits it, run its
/// lanes side by side (a lane that is deferred or released is called again after a durable timer), then finalize.
/// The API never reads this history: activities write the execution's state to the table store.
/// </summary>
public sealed class ExecutionOrchestrator : TaskOrchestrator<ExecutionStart, bool>
{
    public override async Task<bool> RunAsync(TaskOrchestrationContext context, ExecutionStart input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        while (await context.CallActivityAsync<TimeSpan?>(nameof(AdmitExecution), input.TaskId) is { } wait)
        {
            await context.CreateTimer(context.CurrentUtcDateTime + wait, CancellationToken.None);
        }

        await Task.WhenAll(input.Lanes.Select(lane => RunLaneAsync(context, new LaneInput(input.TaskId, lane))));
        await context.CallActivityAsync(nameof(FinalizeExecution), input.TaskId);
        return true;
    }

    private static async Task RunLaneAsync(TaskOrchestrationContext context, LaneInput lane)
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

            if (!outcome.IsDone && outcome.RetryAfter > TimeSpan.Zero)
            {
                await context.CreateTimer(context.CurrentUtcDateTime + outcome.RetryAfter, CancellationToken.None);
            }
        }
        while (!outcome.IsDone);
    }
}
