using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodeOps.Catalog.BuiltIn;
using NodeOps.Sandbox;
using NodeOps.Workflows;

namespace NodeOps.Catalog;

public static class CatalogServiceCollectionExtensions
{
    /// <summary>
    /// The automation catalog: playbooks, scripts and workflow definitions, their syntax checks, the runners' view
    /// (<see cref="ICatalogSource"/>, <see cref="IWorkflowSource"/>) and the built-in content seeded at start-up.
    /// </summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddSandbox();
        // The syntax check runs where playbooks run (AnsibleSandbox), under the same Ansible settings.
        services.AddOptions<Runners.Ansible.AnsibleOptions>().BindConfiguration(Runners.Ansible.AnsibleOptions.Section);
        services.TryAddSingleton<Runners.Ansible.AnsibleSandbox>();
        services.AddSingleton<SyntaxChecker>();
        services.AddSingleton<PlaybookService>();
        services.AddSingleton<ScriptService>();
        services.AddSingleton<WorkflowService>();
        services.AddSingleton<ICatalogSource, CatalogSource>();
        services.AddSingleton<IWorkflowSource>(sp => sp.GetRequiredService<WorkflowService>());
        services.AddSingleton<WorkflowDefinitionValidator>();
        services.AddHostedService<BuiltInSeeder>();
        return services;
    }
}
