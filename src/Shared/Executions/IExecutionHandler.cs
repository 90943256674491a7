namespace NodeOps.Executions;

/// <summary>
/// An execution kind plugs into the engine through a handler: it says how an execution is cut into work items
/// and runs one item. The engine does the rest, the same for every kind: persistence, leasing and lease renewal,
/// at-most-once claims, interrupted nodes after a crash, cancel propagation across instances, fan-in,
/// finalization with consistent counts, and progress events. Per-node kinds (SSH command, script) need only an
/// <see cref="INodeCommandKind"/>; kinds that run differently (an Ansible playbook: one process for all nodes;
/// a workflow: steps) implement this interface.
/// </summary>
public interface IExecutionHandler
{
    /// <summary>The kind's name, also the task-id prefix: "ssh" gives "ssh-exec-...".</summary>
    string Kind { get; }

    /// <summary>The work item ids to enqueue for a new execution (at least one).</summary>
    IReadOnlyList<string> PlanWorkItems(ExecutionRecord execution);

    /// <summary>
    /// Runs one work item. Claim each node through <see cref="WorkItemContext.TryClaimAsync"/> before starting
    /// anything on it, record each result through <see cref="WorkItemContext.CompleteNodeAsync"/>, stop claiming when
    /// <see cref="WorkItemContext.StopClaiming"/> fires, and stop running work when <see cref="WorkItemContext.StopNow"/> fires.
    /// </summary>
    Task<WorkItemOutcome> RunAsync(WorkItemContext context, CancellationToken cancellationToken = default);
}
