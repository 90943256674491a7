using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodeOps.Executions.Kinds;
using NodeOps.Features;
using NodeOps.Orchestration;
using NodeOps.Progress;
using NodeOps.Runners.Ssh;
using NodeOps.Scheduling;
using NodeOps.Workflows.Runs;

namespace NodeOps.Executions;

public static class ExecutionsServiceCollectionExtensions
{
    /// <summary>
    /// The execution engine: store, the execution orchestration on Durable Task, progress bus, the SSH runner (SSH.NET),
    /// and the "ssh" and "script" kinds. The catalog ports (nodes, credentials, scripts) are looked up when a request
    /// needs them. With Executions:WorkerEnabled false this instance only starts and reads executions: its
    /// orchestration worker does not run.
    /// </summary>
    public static IServiceCollection AddExecutions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var executions = configuration.GetSection(ExecutionsOptions.Section).Get<ExecutionsOptions>() ?? new ExecutionsOptions();
        services.AddNodeOpsOrchestration(configuration, registry => registry
            .AddOrchestrator<ExecutionOrchestrator>()
            .AddActivity<AdmitExecution>()
            .AddActivity<RunLane>()
            .AddActivity<FinalizeExecution>()
            .AddWorkflowRuns(),
            executions.WorkerEnabled,
            // A lane holds an activity slot for as long as its nodes run: the worker takes no more than this instance may run.
            orchestration => orchestration.MaxConcurrentActivities = Math.Max(1, executions.MaxConcurrentLanes));
        services.AddOptions<ExecutionsOptions>().BindConfiguration(ExecutionsOptions.Section)
            .Validate(o => o.LaneSize >= 1, "Executions:LaneSize must be at least 1.")
            .Validate(o => o.MaxConcurrentLanes >= 1, "Executions:MaxConcurrentLanes must be at least 1.")
            .Validate(o => o.RetentionDays >= 1, "Executions:RetentionDays must be at least 1.")
            .ValidateOnStart();
        services.AddOptions<SshOptions>().BindConfiguration(SshOptions.Section)
            .Validate(o => o.ConnectTimeoutSeconds >= 1, "Ssh:ConnectTimeoutSeconds must be at least 1.")
            .Validate(o => o.MinWorkerThreads is >= 0 and <= 4096, "Ssh:MinWorkerThreads must be between 0 and 4096.")
            .Validate(o => o.KeyExchangeOrder().Count > 0 && o.KeyExchangeOrder().All(SshConnector.SupportedKeyExchange().Contains),
                "Ssh:KeyExchangeAlgorithms must be a comma-separated list of: " + string.Join(", ", SshConnector.SupportedKeyExchange()) + ".")
            .ValidateOnStart();
        services.AddOptions<ProgressOptions>().BindConfiguration(ProgressOptions.Section);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ExecutionStore>();
        services.AddSingleton<ExecutionService>();
        services.AddSingleton<ExecutionFinalizer>();
        services.AddSingleton<ExecutionHandlers>();
        services.AddSingleton<ExecutionCancellations>();
        services.AddSingleton<ExecutionProgressTracker>();
        services.AddSingleton<ExecutionInstance>();
        services.AddSingleton<CatalogPorts>();
        services.AddSingleton<NodeTargets>();
        services.AddSingleton<SshCommandSubmissions>();
        services.AddSingleton<ScriptRunSubmissions>();
        services.AddSingleton<ExecutionActivities>();
        services.AddSingleton<RetentionSweep>();

        services.AddSingleton<IProgressSnapshotSource, ExecutionSnapshotSource>();
        services.AddSingleton<InProcessProgressBus>();
        services.AddSingleton<IProgressPublisher>(sp => sp.GetRequiredService<InProcessProgressBus>());

        services.AddSingleton<SshAuthentication>();
        services.AddSingleton<SshConnector>();
        services.AddSingleton<SshConnectionPool>();
        services.AddSingleton<ISshRunner, SshNetRunner>();

        services.AddNodeCommandKind<SshCommandKind>();
        services.AddNodeCommandKind<ScriptKind>();
        services.AddWorkflowRuns();
        return services;
    }

    /// <summary>Registers a per-node kind: the engine fans it out over SSH with <see cref="NodeFanOutHandler"/>.</summary>
    public static IServiceCollection AddNodeCommandKind<TKind>(this IServiceCollection services)
        where TKind : class, INodeCommandKind
    {
        services.AddSingleton<TKind>();
        services.AddSingleton<IExecutionHandler>(sp => new NodeFanOutHandler(
            sp.GetRequiredService<TKind>(),
            sp.GetRequiredService<ISshRunner>(),
            sp.GetRequiredService<CatalogPorts>(),
            sp.GetRequiredService<FeatureService>(),
            sp.GetRequiredService<IOptions<ExecutionsOptions>>().Value));
        return services;
    }

    /// <summary>Registers a kind with its own handler (a playbook run, a workflow).</summary>
    public static IServiceCollection AddExecutionKind<THandler>(this IServiceCollection services)
        where THandler : class, IExecutionHandler
    {
        services.AddSingleton<IExecutionHandler, THandler>();
        return services;
    }
}
