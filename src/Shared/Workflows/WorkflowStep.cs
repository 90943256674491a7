using System.Text.Json.Serialization;

namespace NodeOps.Workflows;

/// <summary>
/// One step. Common fields first; then the fields of one type each: k8s (<see cref="Action"/>), ansible
/// (<see cref="PlaybookId"/>), ssh (<see cref="Command"/>), script (<see cref="ScriptId"/>, <see cref="Parameters"/>),
/// wait (<see cref="Seconds"/>), reboot and approval (none; an approval's <see cref="Timeout"/> bounds the wait). Absent fields are left out of stored and returned JSON.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WorkflowStep(
    string? Id = null,
    string? Name = null,
    string? Type = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? DependsOn = null,

    // Seconds the step may take on one node.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Timeout = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ContinueOnError = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StepRetry? Retry = null,

    // "on_success" (the default), "on_failure" or "always": which outcome of the dependencies lets the step run.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Condition = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Action = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? PlaybookId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Command = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ScriptId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Parameters = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Seconds = null,

    // Drain options (k8s drain only), named as kubectl drain names them.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? DeleteEmptydirData = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Force = null,

    // Overrides each pod's terminationGracePeriodSeconds.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? GracePeriod = null,

    // Plain delete, bypassing PodDisruptionBudgets: only an admin may run a workflow that asks for it, and it is audited.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? DisableEviction = null)
{
    [JsonIgnore]
    public WorkflowStepType? StepType => WorkflowTerms.ParseStepType(Type);

    [JsonIgnore]
    public K8sAction? ActionKind => WorkflowTerms.ParseK8sAction(Action);

    [JsonIgnore]
    public StepCondition ConditionKind => WorkflowTerms.ParseCondition(Condition) ?? StepCondition.OnSuccess;

    [JsonIgnore]
    public IReadOnlyList<string> Dependencies => DependsOn ?? [];
}
