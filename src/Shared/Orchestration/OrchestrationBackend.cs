using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Query;
using Microsoft.Extensions.Logging;
using NodeOps.Orchestration.Sqlite;
using NodeOps.Storage.Azure;

namespace NodeOps.Orchestration;

/// <summary>One Durable Task backend seen through every interface the runtime uses: worker, client, queries and purge.</summary>
public sealed class OrchestrationBackend : IDisposable
{
    private OrchestrationBackend(object service)
    {
        Service = (IOrchestrationService)service;
        Client = (IOrchestrationServiceClient)service;
        Queries = (IOrchestrationServiceQueryClient)service;
        Purge = (IOrchestrationServicePurgeClient)service;
    }

    public IOrchestrationService Service { get; }

    public IOrchestrationServiceClient Client { get; }

    public IOrchestrationServiceQueryClient Queries { get; }

    public IOrchestrationServicePurgeClient Purge { get; }

    /// <summary>NodeOps' embedded store in one SQLite file.</summary>
    public static OrchestrationBackend Sqlite(string path, OrchestrationOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(new SqliteOrchestrationService(
            new SqliteOrchestrationOptions(path)
            {
                LeaseDuration = options.LeaseDuration,
                MaxPollInterval = options.MaxPollInterval,
                MaxConcurrentActivities = options.MaxConcurrentActivities,
                MaxConcurrentOrchestrations = options.MaxConcurrentOrchestrations,
                ActivityBatchSize = Math.Clamp(options.MaxConcurrentActivities, 1, 16),
            },
            timeProvider,
            loggerFactory));
    }

    /// <summary>
    /// The backend Durable Functions uses, on the task hub named in configuration. It signs in as the table store
    /// does: with the account key when the connection string has one, else with <paramref name="tokenCredential"/>
    /// (the managed identity) at the string's blob, queue and table endpoints.
    /// </summary>
    /// <param name="transport">Null for the SDK's own HTTP transport; tests pass one that trusts their HTTPS Azurite.</param>
    public static OrchestrationBackend AzureStorage(
        string connectionString, Func<TokenCredential> tokenCredential, OrchestrationOptions options, ILoggerFactory loggerFactory, HttpPipelineTransport? transport = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(tokenCredential);
        ArgumentNullException.ThrowIfNull(options);
        return new(new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = ClientProvider(StorageConnectionString.Parse(connectionString), connectionString, tokenCredential, transport),
            TaskHubName = options.TaskHubName,
            PartitionCount = options.PartitionCount,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            MaxQueuePollingInterval = options.MaxPollInterval,
            // Messages a crashed worker had dequeued come back after this, not after the 5-minute default.
            ControlQueueVisibilityTimeout = options.LeaseDuration,
            WorkItemQueueVisibilityTimeout = options.LeaseDuration,
            // Starting an id that is still pending or running fails instead of being dropped without a word.
            ThrowExceptionOnInvalidDedupeStatus = true,
            LoggerFactory = loggerFactory,
        }));
    }

    private static StorageAccountClientProvider ClientProvider(
        StorageConnectionString connection, string connectionString, Func<TokenCredential> tokenCredential, HttpPipelineTransport? transport)
    {
        // Azurite 3.37 refuses the queue library's default service version (2026-10-06); Azure takes this one too.
        var queueOptions = WithTransport(new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06), transport);
        var blobOptions = WithTransport(new BlobClientOptions(), transport);
        var tableOptions = WithTransport(new TableClientOptions(), transport);
        if (!connection.UsesTokenCredential)
        {
            return new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(connectionString, blobOptions),
                StorageServiceClientProvider.ForQueue(connectionString, queueOptions),
                StorageServiceClientProvider.ForTable(connectionString, tableOptions));
        }

        var credential = tokenCredential();
        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(connection.BlobEndpoint, credential, blobOptions),
            StorageServiceClientProvider.ForQueue(connection.QueueEndpoint, credential, queueOptions),
            StorageServiceClientProvider.ForTable(connection.TableEndpoint, credential, tableOptions));
    }

    private static T WithTransport<T>(T options, HttpPipelineTransport? transport)
        where T : ClientOptions
    {
        if (transport is not null)
        {
            options.Transport = transport;
        }

        return options;
    }

    public void Dispose() => (Service as IDisposable)?.Dispose();
}
