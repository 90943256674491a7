using NodeOps.Executions;

namespace NodeOps.Workflows.Runs;

/// <summary>What a step action gets: the run, the step, the node (name, address, port) and a way to report progress.</summary>
public sealed record StepRunContext(
    ExecutionRecord Execution,
    WorkflowRunPayload Payload,
    WorkflowStep Step,
    NodeResultRecord Node,
    Action<string> Report,
    WorkflowStepStore Steps);
