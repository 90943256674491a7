using NodeOps.Json;

namespace NodeOps.Workflows.Runs;

/// <summary>The orchestration's input. The definition travels as NodeOps JSON, the dialect it is stored and validated in.</summary>
public sealed record WorkflowRunStart(string TaskId, int Generation, string DefinitionJson, IReadOnlyList<string> Nodes)
{
    public WorkflowDefinition Definition() => NodeOpsJson.Deserialize<WorkflowDefinition>(DefinitionJson);
}

/// <summary>One batch of nodes taken through the whole workflow (all targets under the parallel strategy).</summary>
/// <param name="Scope">Names the batch in gate rows ("all", "b0", "b1", ...), the same in every generation.</param>
public sealed record WorkflowBatchStart(string TaskId, string DefinitionJson, IReadOnlyList<string> Nodes, string Scope)
{
    public WorkflowDefinition Definition() => NodeOpsJson.Deserialize<WorkflowDefinition>(DefinitionJson);
}

/// <summary>How each node of a batch came out: "success", "failed", "cancelled" or "skipped".</summary>
public sealed record WorkflowBatchOutcome(IReadOnlyDictionary<string, string> Nodes, bool CancelRequested);

/// <summary>One attempt of one step on one node.</summary>
public sealed record StepNodeInput(string TaskId, string StepId, string Node, int Attempt);

/// <summary>What the orchestration learns from a step on a node.</summary>
public sealed record StepNodeOutcome(StepNodeStatus Status, bool CancelRequested);

/// <summary>A wait or an approval opening (or found already decided) for one batch.</summary>
public sealed record GateInput(string TaskId, string StepId, string Scope, string Instance, bool Approval);

public sealed record GateClose(string TaskId, string StepId, string Scope, StepNodeStatus Status, string? DecidedBy, string? Message);

/// <summary>An approval's decision, or a cancel, raised to the instance that waits.</summary>
public sealed record GateDecision(bool Approved, bool Cancelled, string? By, string? Comment);

public sealed record WorkflowFinish(string TaskId, IReadOnlyDictionary<string, string> Nodes, string? Error);

public static class WorkflowEvents
{
    /// <summary>The external event an approval (or a wait) listens to.</summary>
    public const string Gate = "workflow-gate";
}
