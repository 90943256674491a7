using Microsoft.Extensions.DependencyInjection;
using NodeOps.Catalog.BuiltIn;
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
