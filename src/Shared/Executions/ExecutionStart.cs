namespace NodeOps.Executions;

/// <summary>
/// The execution orchestration's input: the task (also the instance id), its planned lanes, and whether its kind must
/// admit it first (<see cref="IExecutionHandler.NeedsAdmission"/>). Admit defaults to true so an instance started
/// before the flag existed replays the admission it recorded.
/// </summary>
public sealed record ExecutionStart(string TaskId, IReadOnlyList<string> Lanes, bool Admit = true);
