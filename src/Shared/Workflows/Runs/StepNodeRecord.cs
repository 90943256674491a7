namespace NodeOps.Workflows.Runs;

/// <summary>
/// One step on one node, as stored by the activity that runs it, so status reads never replay orchestration history.
/// A wait or an approval has one row per batch, whose <see cref="Node"/> starts with "@".
/// </summary>
public sealed record StepNodeRecord
{
    public required string StepId { get; init; }

    public required string Node { get; init; }

    public StepNodeStatus Status { get; init; } = StepNodeStatus.Pending;

    /// <summary>The attempt that wrote the row (1 for the first run, more under a step's retry).</summary>
    public int Attempt { get; init; }

    public int? ExitCode { get; init; }

    /// <summary>The tail of the step's output on the node.</summary>
    public string Output { get; init; } = "";

    public string? Error { get; init; }

    /// <summary>The latest progress line while the step runs (a drain names the budget that holds it here).</summary>
    public string? Progress { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>This run set the node unschedulable (it was schedulable before), so this run may uncordon it.</summary>
    public bool CordonedByRun { get; init; }

    /// <summary>The orchestration instance waiting on a wait or an approval, which approve, reject and cancel signal.</summary>
    public string? Instance { get; init; }

    /// <summary>Who approved or rejected.</summary>
    public string? DecidedBy { get; init; }

    public bool IsGate => Node.StartsWith('@');
}
