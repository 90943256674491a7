using Microsoft.Extensions.Logging;

namespace NodeOps.Storage.Azure;

/// <summary>Log messages of the Azure storage adapters. They name operations and resources, never credentials.</summary>
internal static partial class AzureStorageLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Azure storage {Method} {Host}{Path}: retry {Retry}")]
    public static partial void Retrying(ILogger logger, string method, string host, string path, int retry);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Created Azure table {Name}")]
    public static partial void CreatedTable(ILogger logger, string name);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information,
        Message = "Azure storage signs in with {Credential} at {TableEndpoint}")]
    public static partial void SigningIn(ILogger logger, string credential, Uri tableEndpoint);
}
