namespace NodeOps.Workflows.Runs;

/// <summary>Runs steps of some types on one node. Cancelling the token (a cancel of the run) must stop the work for real.</summary>
public interface IWorkflowStepAction
{
    IReadOnlyCollection<WorkflowStepType> Types { get; }

    Task<StepRun> RunAsync(StepRunContext context, CancellationToken cancellationToken = default);
}
