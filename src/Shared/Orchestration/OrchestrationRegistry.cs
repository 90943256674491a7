using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;

namespace NodeOps.Orchestration;

/// <summary>
/// The orchestrators and activities a worker runs, written against the Microsoft.DurableTask API and named after their
/// class, as Durable Functions names them. Each is turned into a DurableTask.Core object through
/// <see cref="DurableTaskShimFactory"/>, a fresh one per execution, built from the service provider.
/// </summary>
public sealed class OrchestrationRegistry
{
    private readonly List<Type> _orchestrators = [];
    private readonly List<Type> _activities = [];

    /// <summary>The orchestrator classes, for a host that registers them its own way (the Functions app's wrappers).</summary>
    public IReadOnlyList<Type> OrchestratorTypes => _orchestrators;

    public IReadOnlyList<Type> ActivityTypes => _activities;

    public OrchestrationRegistry AddOrchestrator<T>()
        where T : class, ITaskOrchestrator
    {
        _orchestrators.Add(typeof(T));
        return this;
    }

    public OrchestrationRegistry AddActivity<T>()
        where T : class, ITaskActivity
    {
        _activities.Add(typeof(T));
        return this;
    }

    internal ShimObjectManager<TaskOrchestration> Orchestrations(DurableTaskShimFactory shims, IServiceProvider services) =>
        new(_orchestrators.Select(type => (type.Name, new Func<TaskOrchestration>(() =>
            shims.CreateOrchestration(new TaskName(type.Name), (ITaskOrchestrator)ActivatorUtilities.CreateInstance(services, type))))));

    internal ShimObjectManager<TaskActivity> Activities(DurableTaskShimFactory shims, IServiceProvider services) =>
        new(_activities.Select(type => (type.Name, new Func<TaskActivity>(() =>
            shims.CreateActivity(new TaskName(type.Name), (ITaskActivity)ActivatorUtilities.CreateInstance(services, type))))));
}
