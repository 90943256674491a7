using Microsoft.DurableTask;

namespace NodeOps.Workflows.Runs;

/// <summary>Records a wait or an approval as open (the status shows it); null lets the orchestration wait.</summary>
public sealed class OpenWorkflowGate(WorkflowRunLifecycle lifecycle) : TaskActivity<GateInput, StepNodeOutcome?>
{
    public override Task<StepNodeOutcome?> RunAsync(TaskActivityContext context, GateInput input) => lifecycle.OpenGateAsync(input);
}
