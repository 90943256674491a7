using System.Text.Json.Serialization;

namespace NodeOps.Workflows;

/// <summary>
/// A workflow: a DAG of steps (<see cref="WorkflowStep.DependsOn"/>) and how targets move through it.
/// Every field is optional on the wire so that <see cref="WorkflowDefinitionValidator"/> can report every problem
/// at once, with the step at fault, instead of the first one the JSON reader meets.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WorkflowDefinition(
    IReadOnlyList<WorkflowStep>? Steps = null,

    // "parallel" (every target together, the default) or "rolling" (node-first, in batches).
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Strategy = null,

    // Rolling: nodes per batch.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? BatchSize = null,

    // Rolling: at most this many nodes out of service at once (an alternative to a batch size).
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxUnavailable = null,

    // Stop starting new nodes once more than this percentage of targets failed (0-100).
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxFailPercentage = null,

    // When the run fails or is cancelled, uncordon the nodes it cordoned (by default they stay cordoned, and the run says so).
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? UncordonOnFailure = null)
{
    [JsonIgnore]
    public WorkflowStrategy StrategyKind => WorkflowTerms.ParseStrategy(Strategy) ?? WorkflowStrategy.Parallel;

    /// <summary>Nodes taken through the workflow together under the rolling strategy (1 when neither size is given).</summary>
    [JsonIgnore]
    public int RollingBatchSize => BatchSize ?? MaxUnavailable ?? 1;
}
