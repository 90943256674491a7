namespace NodeOps.Executions;

/// <summary>One node's status within an execution, in the API's words.</summary>
public enum NodeStatus
{
    /// <summary>Not started yet.</summary>
    Pending,

    /// <summary>Claimed and started; the command may be on the node right now.</summary>
    Running,

    Success,
    Failed,
    Timeout,

    /// <summary>Stopped by a cancel while it ran.</summary>
    Cancelled,

    /// <summary>Was running when its instance was lost; never re-run, its outcome is unknown.</summary>
    Interrupted,

    /// <summary>Never started because the execution was cancelled first.</summary>
    Skipped,
}

public static class NodeStatuses
{
    public static bool IsFinal(this NodeStatus status) => status is not (NodeStatus.Pending or NodeStatus.Running);

    /// <summary>Counted in the API's failed_count.</summary>
    public static bool CountsAsFailed(this NodeStatus status) => status is NodeStatus.Failed or NodeStatus.Timeout or NodeStatus.Interrupted;
}
