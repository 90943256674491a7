namespace NodeOps.Workflows;

/// <summary>A workflow as it was when a run took it: the run records <see cref="Version"/>.</summary>
public sealed record WorkflowSnapshot(long Id, string Name, int Version, WorkflowDefinition Definition);

/// <summary>What the engine reads from the workflow catalog; the catalog's workflow service implements it.</summary>
public interface IWorkflowSource
{
    /// <summary>The workflow's current definition, or null when it does not exist or is deactivated.</summary>
    Task<WorkflowSnapshot?> FindWorkflowAsync(long id, CancellationToken cancellationToken = default);
}
