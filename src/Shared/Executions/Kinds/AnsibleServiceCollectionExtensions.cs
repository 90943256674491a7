using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodeOps.Runners.Ansible;
using NodeOps.Sandbox;

namespace NodeOps.Executions.Kinds;

public static class AnsibleServiceCollectionExtensions
{
    /// <summary>
    /// Playbook runs: the "ansible" execution kind, the ansible-playbook runner, the run slots shared by every
    /// instance, and the run service the API uses. Needs <see cref="ExecutionsServiceCollectionExtensions.AddExecutions"/>.
    /// </summary>
    public static IServiceCollection AddAnsibleRuns(this IServiceCollection services)
    {
        services.AddOptions<AnsibleOptions>().BindConfiguration(AnsibleOptions.Section)
            .Validate(o => o.OutputLimitChars >= AnsibleRunStore.ChunkChars, $"Ansible:OutputLimitChars must be at least {AnsibleRunStore.ChunkChars}.")
            .Validate(o => o.OutputTailChars >= 1, "Ansible:OutputTailChars must be at least 1.")
            .Validate(o => o.EventPollInterval > TimeSpan.Zero && o.FlushInterval > TimeSpan.Zero, "Ansible poll and flush intervals must be positive.")
            .ValidateOnStart();
        services.AddSandbox();
        services.TryAddSingleton<AnsibleSandbox>();
        services.AddSingleton<AnsibleHostKeys>();
        services.AddSingleton<AnsibleRemoteStop>();
        services.AddSingleton<IAnsibleRunner, AnsiblePlaybookRunner>();
        services.AddSingleton<AnsibleRunStore>();
        services.AddSingleton<AnsibleRunSlots>();
        services.AddSingleton<AnsibleRunService>();
        services.AddExecutionKind<AnsibleKind>();
        return services;
    }
}
