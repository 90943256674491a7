using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using NodeOps.Functions.AzureFunctions;
using NodeOps.Orchestration;

namespace NodeOps.Tests.AzureFunctions;

/// <summary>
/// Every orchestrator and activity the application registers (OrchestrationRegistry, as the standalone host runs
/// them) has its one-line Durable Functions wrapper under the same name, and every wrapper has its class. The failure
/// message is the line to add.
/// </summary>
public sealed class FunctionWrapperCoverageTests
{
    [Fact]
    public void EveryRegisteredOrchestratorAndActivity_HasAFunctionWrapper()
    {
        var registries = RegisteredOrchestrations();
        var orchestratorFunctions = FunctionsWithTrigger<OrchestrationTriggerAttribute>();
        var activityFunctions = FunctionsWithTrigger<ActivityTriggerAttribute>();
        var missing = new List<string>();

        foreach (var type in registries.SelectMany(r => r.OrchestratorTypes).Distinct())
        {
            if (!orchestratorFunctions.ContainsKey(type.Name))
            {
                missing.Add($"orchestrator {type.FullName}:\n"
                    + $"    [Function(nameof({type.Name}))]\n"
                    + $"    public Task<object?> Run{type.Name}([OrchestrationTrigger] TaskOrchestrationContext context) => pipeline.OrchestrateAsync<{type.Name}>(context);");
            }
        }

        foreach (var type in registries.SelectMany(r => r.ActivityTypes).Distinct())
        {
            if (!activityFunctions.TryGetValue(type.Name, out var wrapper))
            {
                missing.Add($"activity {type.FullName}:\n"
                    + $"    [Function(nameof({type.Name}))]\n"
                    + $"    public Task<object?> Run{type.Name}([ActivityTrigger] {TypeName(ActivityInputType(type))} input, FunctionContext context) => pipeline.RunActivityAsync<{type.Name}>(input, context);");
            }
            else
            {
                // The Durable extension deserializes the input into the trigger parameter's type, so it must be the activity's.
                var parameter = wrapper.GetParameters().Single(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null);
                Assert.True(parameter.ParameterType == ActivityInputType(type),
                    $"the wrapper of activity {type.Name} takes {TypeName(parameter.ParameterType)}, the activity reads {TypeName(ActivityInputType(type))}");
            }
        }

        Assert.True(missing.Count == 0,
            "OrchestrationRegistry registers these, but src/Functions/AzureFunctions has no Durable Functions wrapper for them "
            + "(add each line to the capability's XxxFunctions class there):\n" + string.Join("\n", missing));
    }

    [Fact]
    public void EveryWrapper_NamesARegisteredOrchestratorOrActivity()
    {
        var registries = RegisteredOrchestrations();
        var orchestrators = registries.SelectMany(r => r.OrchestratorTypes).Select(t => t.Name).ToHashSet();
        var activities = registries.SelectMany(r => r.ActivityTypes).Select(t => t.Name).ToHashSet();

        var strayOrchestrators = FunctionsWithTrigger<OrchestrationTriggerAttribute>().Keys.Where(n => !orchestrators.Contains(n)).ToList();
        var strayActivities = FunctionsWithTrigger<ActivityTriggerAttribute>().Keys.Where(n => !activities.Contains(n)).ToList();

        Assert.True(strayOrchestrators.Count == 0, "orchestrator functions with no registered orchestrator: " + string.Join(", ", strayOrchestrators));
        Assert.True(strayActivities.Count == 0, "activity functions with no registered activity: " + string.Join(", ", strayActivities));
        Assert.NotEmpty(orchestrators);
        Assert.NotEmpty(activities);
    }

    /// <summary>The registries of the whole application, as its service collection holds them (the app is built, not started).</summary>
    private static List<OrchestrationRegistry> RegisteredOrchestrations()
    {
        var registries = new List<OrchestrationRegistry>();
        var dataPath = Path.Combine(Path.GetTempPath(), "nodeops-registry-" + Guid.NewGuid().ToString("N"));
        var pipeline = FunctionsWorker.CreatePipeline([$"--Host:DataPath={dataPath}"], services => registries.AddRange(services
            .Where(d => d.ServiceType == typeof(OrchestrationRegistry))
            .Select(d => (OrchestrationRegistry)d.ImplementationInstance!)));
        ((IDisposable)pipeline.App).Dispose();
        Assert.NotEmpty(registries);
        return registries;
    }

    private static Dictionary<string, MethodInfo> FunctionsWithTrigger<TTrigger>()
        where TTrigger : Attribute =>
        typeof(ApiFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null && m.GetParameters().Any(p => p.GetCustomAttribute<TTrigger>() is not null))
            .ToDictionary(m => m.GetCustomAttribute<FunctionAttribute>()!.Name);

    private static Type ActivityInputType(Type activity)
    {
        for (var type = activity; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(TaskActivity<,>))
            {
                return type.GetGenericArguments()[0];
            }
        }

        return typeof(object);
    }

    private static string TypeName(Type type) => type == typeof(string) ? "string" : type.Name;
}
