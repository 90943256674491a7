namespace NodeOps.Executions;

/// <summary>The execution orchestration's input: the task (also the instance id) and its planned lanes.</summary>
public sealed record ExecutionStart(string TaskId, IReadOnlyList<string> Lanes);
