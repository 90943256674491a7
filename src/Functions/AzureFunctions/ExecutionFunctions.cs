using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using NodeOps.Executions;

namespace NodeOps.Functions.AzureFunctions;

/// <summary>The execution engine's orchestrator and activities as Durable Functions, named as OrchestrationRegistry names them.</summary>
public sealed class ExecutionFunctions(NodeOpsPipeline pipeline)
{
    [Function(nameof(ExecutionOrchestrator))]
    public Task<object?> RunExecutionOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) => pipeline.OrchestrateAsync<ExecutionOrchestrator>(context);

    [Function(nameof(AdmitExecution))]
    public Task<object?> RunAdmitExecution([ActivityTrigger] string input, FunctionContext context) => pipeline.RunActivityAsync<AdmitExecution>(input, context);

    [Function(nameof(RunLane))]
    public Task<object?> RunRunLane([ActivityTrigger] LaneInput input, FunctionContext context) => pipeline.RunActivityAsync<RunLane>(input, context);

    [Function(nameof(FinalizeExecution))]
    public Task<object?> RunFinalizeExecution([ActivityTrigger] string input, FunctionContext context) => pipeline.RunActivityAsync<FinalizeExecution>(input, context);
}
