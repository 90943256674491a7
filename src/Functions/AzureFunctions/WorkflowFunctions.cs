using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using NodeOps.Workflows.Runs;

namespace NodeOps.Functions.AzureFunctions;

/// <summary>The workflow engine's orchestrators and activities as Durable Functions, named as OrchestrationRegistry names them.</summary>
public sealed class WorkflowFunctions(NodeOpsPipeline pipeline)
{
    [Function(nameof(WorkflowOrchestrator))]
    public Task<object?> RunWorkflowOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) => pipeline.OrchestrateAsync<WorkflowOrchestrator>(context);

    [Function(nameof(WorkflowBatchOrchestrator))]
    public Task<object?> RunWorkflowBatchOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) => pipeline.OrchestrateAsync<WorkflowBatchOrchestrator>(context);

    [Function(nameof(StartWorkflowRun))]
    public Task<object?> RunStartWorkflowRun([ActivityTrigger] string input, FunctionContext context) => pipeline.RunActivityAsync<StartWorkflowRun>(input, context);

    [Function(nameof(RunWorkflowStep))]
    public Task<object?> RunRunWorkflowStep([ActivityTrigger] StepNodeInput input, FunctionContext context) => pipeline.RunActivityAsync<RunWorkflowStep>(input, context);

    [Function(nameof(OpenWorkflowGate))]
    public Task<object?> RunOpenWorkflowGate([ActivityTrigger] GateInput input, FunctionContext context) => pipeline.RunActivityAsync<OpenWorkflowGate>(input, context);

    [Function(nameof(CloseWorkflowGate))]
    public Task<object?> RunCloseWorkflowGate([ActivityTrigger] GateClose input, FunctionContext context) => pipeline.RunActivityAsync<CloseWorkflowGate>(input, context);

    [Function(nameof(FinishWorkflowRun))]
    public Task<object?> RunFinishWorkflowRun([ActivityTrigger] WorkflowFinish input, FunctionContext context) => pipeline.RunActivityAsync<FinishWorkflowRun>(input, context);
}
