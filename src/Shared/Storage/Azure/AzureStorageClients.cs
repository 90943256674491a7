using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;

namespace NodeOps.Storage.Azure;

/// <summary>
/// The SDK clients of one storage account, signed in the way the connection string says: with the account key,
/// or with a token credential when there is no key. Both share one retry policy; the SDK pipeline does the retries.
/// </summary>
internal sealed class AzureStorageClients
{
    /// <summary>Azurite 3.37 refuses the library's default (2026-10-06); this is the newest version it accepts.</summary>
    public const QueueClientOptions.ServiceVersion QueueServiceVersion = QueueClientOptions.ServiceVersion.V2026_06_06;

    private AzureStorageClients(TableServiceClient tables, QueueServiceClient queues)
    {
        Tables = tables;
        Queues = queues;
    }

    public TableServiceClient Tables { get; }

    public QueueServiceClient Queues { get; }

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
        // Base64 bodies keep any text (XML markup, control characters) intact; messages written before the SDK was
        // used were encoded the same way.
        var queueOptions = Configure(new QueueClientOptions(QueueServiceVersion) { MessageEncoding = QueueMessageEncoding.Base64 }, retryLog, transport);

        if (connection.AccountKey is not { } key)
        {
            var credential = tokenCredential();
            return new AzureStorageClients(
                new TableServiceClient(connection.TableEndpoint, credential, tableOptions),
                new QueueServiceClient(connection.QueueEndpoint, credential, queueOptions));
        }

        var account = connection.AccountName!;
        return new AzureStorageClients(
            new TableServiceClient(connection.TableEndpoint, new TableSharedKeyCredential(account, key), tableOptions),
            new QueueServiceClient(connection.QueueEndpoint, new StorageSharedKeyCredential(account, key), queueOptions));
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
