using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace NodeOps.Storage.Azure;

/// <summary>
/// The table store's SDK client, signed in the way the connection string says: with the account key, or with a
/// token credential when there is no key. The SDK pipeline does the retries. (The Durable Task hub builds its own
/// queue, table and blob clients: see OrchestrationBackend.)
/// </summary>
internal sealed class AzureStorageClients
{
    private AzureStorageClients(TableServiceClient tables)
    {
        Tables = tables;
    }

    public TableServiceClient Tables { get; }

    /// <param name="tokenCredential">Called only when the connection string has no key.</param>
    /// <param name="logger">Where the pipeline's retries are logged.</param>
    /// <param name="transport">Null for the SDK's own HTTP transport; tests pass a scripted one.</param>
    public static AzureStorageClients Create(
        StorageConnectionString connection, Func<TokenCredential> tokenCredential, ILogger logger, HttpPipelineTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(tokenCredential);
        var retryLog = new AzureRetryLogPolicy(logger);
        var tableOptions = Configure(new TableClientOptions(), retryLog, transport);
        return new AzureStorageClients(connection.AccountKey is { } key
            ? new TableServiceClient(connection.TableEndpoint, new TableSharedKeyCredential(connection.AccountName!, key), tableOptions)
            : new TableServiceClient(connection.TableEndpoint, tokenCredential(), tableOptions));
    }

    /// <summary>
    /// Exponential backoff with the SDK's jitter for throttling (503), server errors and dropped connections:
    /// five attempts within about ten seconds, so a request never hangs a caller for minutes.
    /// </summary>
    private static T Configure<T>(T options, AzureRetryLogPolicy retryLog, HttpPipelineTransport? transport)
        where T : ClientOptions
    {
        options.AddPolicy(retryLog, HttpPipelinePosition.PerRetry);
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 4;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        if (transport is not null)
        {
            options.Transport = transport;
        }

        return options;
    }
}
