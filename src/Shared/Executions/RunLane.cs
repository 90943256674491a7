using Microsoft.DurableTask;

namespace NodeOps.Executions;

/// <summary>Runs one lane of an execution through its kind's handler.</summary>
public sealed class RunLane(ExecutionActivities runner) : TaskActivity<LaneInput, LaneOutcome>
{
    public override Task<LaneOutcome> RunAsync(TaskActivityContext context, LaneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return runner.RunLaneAsync(input.TaskId, input.Lane);
    }
}
