using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace NodeOps.Storage.Azure;

/// <summary>
/// Logs each retry the SDK pipeline makes, so throttling and flaky networks show up in NodeOps's own log and not
/// only in the SDK's event source. Runs once per attempt; names the method, host and resource, never entity keys,
/// the query or headers.
/// </summary>
internal sealed class AzureRetryLogPolicy(ILogger logger) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var retry = message.ProcessingContext.RetryNumber;
        if (retry > 0)
        {
            var uri = message.Request.Uri;
            var path = uri.Path;
            var keys = path.IndexOf('(', StringComparison.Ordinal);
            AzureStorageLog.Retrying(logger, message.Request.Method.Method, uri.Host ?? "", keys < 0 ? path : path[..keys], retry);
        }
    }
}
