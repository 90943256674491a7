using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Hosting;
using NodeOps.Storage;

namespace NodeOps.Orchestration;

public static class OrchestrationServiceCollectionExtensions
{
    /// <summary>
    /// The orchestration engine on the backend Storage:Provider selects (SQLite in the data folder by default,
    /// DurableTask.AzureStorage on Storage:ConnectionString and Orchestration:TaskHubName otherwise), running the
    /// orchestrators and activities <paramref name="register"/> names. Needs <see cref="DataFolder"/> for SQLite.
    /// Without <paramref name="runWorker"/> this process only has the client: it starts and reads instances, others run them.
    /// </summary>
    /// <param name="configure">Settings the caller derives from its own section, applied over the configured ones.</param>
    public static IServiceCollection AddNodeOpsOrchestration(
        this IServiceCollection services, IConfiguration configuration, Action<OrchestrationRegistry> register, bool runWorker = true, Action<OrchestrationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(register);
        var options = configuration.GetSection(OrchestrationOptions.Section).Get<OrchestrationOptions>() ?? new OrchestrationOptions();
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        if (string.IsNullOrEmpty(configuration[$"{OrchestrationOptions.Section}:{nameof(OrchestrationOptions.TaskHubName)}"]))
        {
            options.TaskHubName = storage.TablePrefix + options.TaskHubName;
        }

        configure?.Invoke(options);
        var registry = new OrchestrationRegistry();
        register(registry);

        services.TryAddTimeProvider();
        services.AddSingleton(registry);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(sp => storage.Provider == StorageProvider.AzureStorage
            ? OrchestrationBackend.AzureStorage(
                storage.ConnectionString ?? throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions),
                    ["Storage:ConnectionString is required when Storage:Provider is AzureStorage."]),
                () => Storage.Azure.AzureStorageRegistration.TokenCredential(storage.ManagedIdentityClientId),
                options,
                sp.GetRequiredService<ILoggerFactory>())
            : OrchestrationBackend.Sqlite(sp.GetRequiredService<DataFolder>().Resolve(options.SqliteFile), options,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new OrchestrationRuntime(sp.GetRequiredService<OrchestrationBackend>(), registry, sp,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), runWorker));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<OrchestrationRuntime>());
        services.AddSingleton(sp => sp.GetRequiredService<OrchestrationRuntime>().Client);
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
