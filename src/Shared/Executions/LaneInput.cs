namespace NodeOps.Executions;

/// <summary>One lane of an execution, as the RunLane activity receives it.</summary>
public sealed record LaneInput(string TaskId, string Lane);
