namespace NodeOps.Workflows.Runs;

/// <summary>Where one step stands on one node (or, for a wait or an approval, for the whole batch), in the API's words.</summary>
public enum StepNodeStatus
{
    Pending,
    Running,
    WaitingApproval,
    Success,
    Failed,
    Timeout,

    /// <summary>Stopped by a cancel while it ran.</summary>
    Cancelled,

    /// <summary>Was running when its instance was lost; never run again by the same attempt.</summary>
    Interrupted,

    /// <summary>Not run: its condition did not hold, or the run was cancelled first.</summary>
    Skipped,
}

public static class StepNodeStatuses
{
    public static bool IsFinal(this StepNodeStatus status) => status is not (StepNodeStatus.Pending or StepNodeStatus.Running or StepNodeStatus.WaitingApproval);

    /// <summary>A failure a retry may repair.</summary>
    public static bool IsFailure(this StepNodeStatus status) => status is StepNodeStatus.Failed or StepNodeStatus.Timeout or StepNodeStatus.Interrupted;

    public static string Name(this StepNodeStatus status) => status == StepNodeStatus.WaitingApproval ? "waiting_approval" : Enum.GetName(status)!.ToLowerInvariant();
}
