using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NodeOps.Storage.Azure;

internal static class AzureStorageRegistration
{
    /// <summary>
    /// Registers the Table and Queue adapters over one named HttpClient. The handler lives as long as the host and
    /// recycles its pooled connections itself, so DNS changes of the storage endpoints are still picked up.
    /// </summary>
    public static IServiceCollection AddAzureStorage(this IServiceCollection services, StorageConnectionString connection, string tablePrefix)
    {
        ArgumentNullException.ThrowIfNull(connection);
        AzureResourceNames names;
        try
        {
            names = new AzureResourceNames(tablePrefix);
        }
        catch (ArgumentException ex)
        {
            throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions), [ex.Message]);
        }

        services.AddHttpClient(AzureRequestSender.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
                AutomaticDecompression = System.Net.DecompressionMethods.None,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        services.AddSingleton(names);
        services.AddSingleton(new AzureSharedKeySigner(connection.AccountName, connection.AccountKey));
        services.AddSingleton(sp => new AzureRequestSender(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<AzureSharedKeySigner>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AzureRequestSender>>(),
            AzureRetryPolicy.Default));
        services.AddSingleton<ITableStore>(sp => new AzureTableStore(
            sp.GetRequiredService<AzureRequestSender>(),
            connection.TableEndpoint,
            names,
            sp.GetRequiredService<ILogger<AzureTableStore>>()));
        services.AddSingleton<IWorkQueue>(sp => new AzureWorkQueue(
            sp.GetRequiredService<AzureRequestSender>(),
            connection.QueueEndpoint,
            names,
            sp.GetRequiredService<IOptions<WorkQueueOptions>>(),
            sp.GetRequiredService<ILogger<AzureWorkQueue>>()));
        return services;
    }
}
