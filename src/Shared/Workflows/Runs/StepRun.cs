namespace NodeOps.Workflows.Runs;

/// <summary>How a step went on one node, as its action reports it.</summary>
public sealed record StepRun(StepNodeStatus Status, int? ExitCode = null, string Output = "", string? Error = null, bool CordonedByRun = false)
{
    public static StepRun Fail(string error) => new(StepNodeStatus.Failed, Error: error);
}
