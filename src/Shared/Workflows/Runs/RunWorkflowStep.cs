using Microsoft.DurableTask;

namespace NodeOps.Workflows.Runs;

/// <summary>One attempt of one step on one node.</summary>
public sealed class RunWorkflowStep(WorkflowStepRunner runner) : TaskActivity<StepNodeInput, StepNodeOutcome>
{
    public override Task<StepNodeOutcome> RunAsync(TaskActivityContext context, StepNodeInput input) => runner.RunAsync(input);
}
