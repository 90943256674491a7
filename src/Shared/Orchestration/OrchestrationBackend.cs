using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Query;
using Microsoft.Extensions.Logging;
using NodeOps.Orchestration.Sqlite;

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

    /// <summary>The backend Durable Functions uses, on the task hub named in configuration.</summary>
    public static OrchestrationBackend AzureStorage(string connectionString, OrchestrationOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(options);
        return new(new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
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

    public void Dispose() => (Service as IDisposable)?.Dispose();
}
