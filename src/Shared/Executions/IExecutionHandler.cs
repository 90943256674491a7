namespace NodeOps.Executions;

/// <summary>
/// An execution kind plugs into the engine through a handler: it says how an execution is cut into lanes
/// (lanes) and runs one. The engine (a Durable Task orchestration) does the rest, the same for every kind:
/// persistence, fan-out and redelivery, at-most-once claims, interrupted nodes after a crash, cancel propagation across instances, fan-in,
/// finalization with consistent counts, and progress events. Per-node kinds (SSH command, script) need only an
/// <see cref="INodeCommandKind"/>; kinds that run differently (an Ansible playbook: one process for all nodes;
/// a workflow: steps) implement this interface.
/// </summary>
public interface IExecutionHandler
{
    /// <summary>The kind's name, also the task-id prefix: "ssh" gives "ssh-exec-...".</summary>
    string Kind { get; }

    /// <summary>The lane (lane) ids the orchestration fans out for a new execution (at least one).</summary>
    IReadOnlyList<string> PlanLanes(ExecutionRecord execution);

    /// <summary>
    /// Runs one lane. Claim each node through <see cref="LaneContext.TryClaimAsync"/> before starting
    /// anything on it, record each result through <see cref="LaneContext.CompleteNodeAsync"/>, stop claiming when
    /// <see cref="LaneContext.StopClaiming"/> fires, and stop running work when <see cref="LaneContext.StopNow"/> fires.
    /// </summary>
    Task<LaneOutcome> RunAsync(LaneContext context, CancellationToken cancellationToken = default);

    /// <summary>
    /// True for a kind with a limit across instances, whose executions go through <see cref="AdmitAsync"/> first; the
    /// others skip that activity, so their first lane starts one hop sooner.
    /// </summary>
    bool NeedsAdmission => false;

    /// <summary>
    /// Asked before a pending execution starts, when <see cref="NeedsAdmission"/>. A kind with a limit across instances (Ansible's max_concurrent)
    /// returns how long to wait before asking again, and the execution stays pending meanwhile; null starts it.
    /// Not asked for an execution whose cancel was requested: it starts, and its handler sees the cancel.
    /// </summary>
    Task<TimeSpan?> AdmitAsync(ExecutionRecord execution, CancellationToken cancellationToken = default) => Task.FromResult<TimeSpan?>(null);
}
