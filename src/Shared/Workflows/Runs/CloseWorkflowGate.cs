using Microsoft.DurableTask;

namespace NodeOps.Workflows.Runs;

/// <summary>Records how a wait or an approval ended.</summary>
public sealed class CloseWorkflowGate(WorkflowRunLifecycle lifecycle) : TaskActivity<GateClose, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, GateClose input)
    {
        await lifecycle.CloseGateAsync(input).ConfigureAwait(false);
        return true;
    }
}
