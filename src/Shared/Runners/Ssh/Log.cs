using Microsoft.Extensions.Logging;

namespace NodeOps.Runners.Ssh;

/// <summary>The SSH runner's log messages. Never a secret: credentials appear by id and name only.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug, Message = "Connected to {Cluster}/{Node} (host key {Fingerprint}, key exchange {KeyExchange})")]
    public static partial void Connected(ILogger logger, string cluster, string node, string fingerprint, string keyExchange);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Pinned the host key of {Cluster}/{Node}: {Fingerprint}")]
    public static partial void HostKeyPinned(ILogger logger, string cluster, string node, string fingerprint);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Could not stop remote process group {Group} on {Cluster}/{Node}: {Reason}")]
    public static partial void StopFailed(ILogger logger, int group, string cluster, string node, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "SSH connection to {Cluster}/{Node} dropped before the command started; reconnecting once")]
    public static partial void ConnectionLost(ILogger logger, string cluster, string node);
}
