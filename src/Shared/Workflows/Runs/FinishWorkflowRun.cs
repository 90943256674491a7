using Microsoft.DurableTask;

namespace NodeOps.Workflows.Runs;

/// <summary>Brings the run to its final status and counts.</summary>
public sealed class FinishWorkflowRun(WorkflowRunLifecycle lifecycle) : TaskActivity<WorkflowFinish, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, WorkflowFinish input)
    {
        await lifecycle.FinishAsync(input).ConfigureAwait(false);
        return true;
    }
}
