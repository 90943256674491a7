using Microsoft.DurableTask;

namespace NodeOps.Workflows.Runs;

/// <summary>One rolling batch: its nodes go through the whole workflow before the parent starts the next batch.</summary>
public sealed class WorkflowBatchOrchestrator : TaskOrchestrator<WorkflowBatchStart, WorkflowBatchOutcome>
{
    public override Task<WorkflowBatchOutcome> RunAsync(TaskOrchestrationContext context, WorkflowBatchStart input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return WorkflowDag.RunAsync(context, input);
    }
}
