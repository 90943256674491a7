using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodeOps.Functions.Hosting;
using NodeOps.Orchestration;

namespace NodeOps.Functions.AzureFunctions;

/// <summary>
/// What changes in the NodeOps application when the Functions host runs it: no listening server (requests come from
/// the catch-all function), no in-process orchestration engine (the Durable extension runs orchestrators and
/// activities, and the client is the Durable Functions one), and no retention or schedule loop (timer functions run the sweep and the schedule evaluator).
/// </summary>
internal static class FunctionsHostServices
{
    public static IServiceCollection UseAzureFunctionsHost(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IServer, InProcessServer>());

        // The standalone engine: its runtime, the backend it opens and the hosted service that starts both.
        services.RemoveAll<OrchestrationRuntime>();
        services.RemoveAll<OrchestrationBackend>();
        services.RemoveAll<IOrchestrationClient>();
        RemoveHostedServices(services, d =>
            d.ImplementationType == typeof(RetentionHostedService)
            || d.ImplementationType == typeof(SchedulerHostedService)
            || d.ImplementationFactory?.Method.DeclaringType?.Namespace == typeof(OrchestrationRuntime).Namespace);

        services.AddSingleton<DurableClientSlot>();
        services.AddSingleton<IOrchestrationClient, DurableOrchestrationClient>();
        return services;
    }

    private static void RemoveHostedServices(IServiceCollection services, Func<ServiceDescriptor, bool> match)
    {
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(IHostedService) && match(d)).ToList())
        {
            services.Remove(descriptor);
        }
    }
}
