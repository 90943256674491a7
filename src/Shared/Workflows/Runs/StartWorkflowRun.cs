using Microsoft.DurableTask;

namespace NodeOps.Workflows.Runs;

/// <summary>Marks the run running.</summary>
public sealed class StartWorkflowRun(WorkflowRunLifecycle lifecycle) : TaskActivity<string, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, string input)
    {
        await lifecycle.StartAsync(input).ConfigureAwait(false);
        return true;
    }
}
