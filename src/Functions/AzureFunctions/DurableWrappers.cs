using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace NodeOps.Functions.AzureFunctions;

/// <summary>
/// What the one-line orchestrator and activity functions call: the class-based orchestrator or activity (the one the
/// standalone host registers in OrchestrationRegistry) built from NodeOps's services and run on the context the
/// Durable extension gives. Class-based registration needs a source generator that is not available, hence the lines.
/// </summary>
public static class DurableWrappers
{
    private static readonly MethodInfo GetInputMethod = typeof(TaskOrchestrationContext).GetMethod(nameof(TaskOrchestrationContext.GetInput))!;
    private static readonly ConcurrentDictionary<Type, Func<TaskOrchestrationContext, object?>> InputReaders = new();

    public static Task<object?> OrchestrateAsync<TOrchestrator>(this NodeOpsPipeline pipeline, TaskOrchestrationContext context)
        where TOrchestrator : class, ITaskOrchestrator
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(context);
        var orchestrator = ActivatorUtilities.CreateInstance<TOrchestrator>(pipeline.Services);
        return orchestrator.RunAsync(context, ReadInput(context, orchestrator.InputType));
    }

    public static Task<object?> RunActivityAsync<TActivity>(this NodeOpsPipeline pipeline, object? input, FunctionContext context)
        where TActivity : class, ITaskActivity
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(context);
        var activity = ActivatorUtilities.CreateInstance<TActivity>(pipeline.Services);
        var instanceId = context.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id as string : null;
        return activity.RunAsync(new FunctionActivityContext(new TaskName(typeof(TActivity).Name), instanceId ?? string.Empty), input);
    }

    private static object? ReadInput(TaskOrchestrationContext context, Type inputType) =>
        InputReaders.GetOrAdd(inputType, type =>
        {
            var method = GetInputMethod.MakeGenericMethod(type);
            return c => method.Invoke(c, null);
        })(context);

    private sealed class FunctionActivityContext(TaskName name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;

        public override string InstanceId { get; } = instanceId;
    }
}
