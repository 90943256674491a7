using Microsoft.Extensions.DependencyInjection;
using NodeOps.Kubernetes;
using NodeOps.Orchestration;
using NodeOps.Scheduling;

namespace NodeOps.Workflows.Runs;

public static class WorkflowRunsServiceCollectionExtensions
{
    /// <summary>The workflow run orchestrations and activities, for the engine's orchestration registry.</summary>
    public static OrchestrationRegistry AddWorkflowRuns(this OrchestrationRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<WorkflowOrchestrator>()
            .AddOrchestrator<WorkflowBatchOrchestrator>()
            .AddActivity<StartWorkflowRun>()
            .AddActivity<RunWorkflowStep>()
            .AddActivity<OpenWorkflowGate>()
            .AddActivity<CloseWorkflowGate>()
            .AddActivity<FinishWorkflowRun>();
    }

    /// <summary>Workflow runs: the front door, step state, and the step actions (ssh, script, ansible, k8s, reboot).</summary>
    public static IServiceCollection AddWorkflowRuns(this IServiceCollection services)
    {
        services.AddOptions<WorkflowRunsOptions>().BindConfiguration(WorkflowRunsOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.RebootCommand) && !string.IsNullOrWhiteSpace(o.BootIdCommand), "Workflows:RebootCommand and Workflows:BootIdCommand must not be empty.")
            .Validate(o => o.NodePollInterval > TimeSpan.Zero && o.DrainRetryDelay > TimeSpan.Zero && o.DrainPollInterval > TimeSpan.Zero,
                "Workflows poll intervals must be positive.")
            .Validate(o => o.DefaultStepTimeoutSeconds >= 1, "Workflows:DefaultStepTimeoutSeconds must be at least 1.")
            .ValidateOnStart();
        services.AddKubernetesClients();
        services.AddSingleton<WorkflowStepStore>();
        services.AddSingleton<IRetentionParticipant>(sp => sp.GetRequiredService<WorkflowStepStore>());
        services.AddSingleton<WorkflowStepRunner>();
        services.AddSingleton<WorkflowRunLifecycle>();
        services.AddSingleton<WorkflowRuns>();
        services.AddSingleton<IWorkflowStepAction, SshStepAction>();
        services.AddSingleton<IWorkflowStepAction, AnsibleStepAction>();
        services.AddSingleton<IWorkflowStepAction, K8sStepAction>();
        services.AddSingleton<IWorkflowStepAction, RebootStepAction>();
        return services;
    }
}
