using Microsoft.Extensions.Logging;

namespace NodeOps.Runners.Ansible;

/// <summary>The Ansible runner's log messages. Never a secret: credentials, extra_vars and output are not logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Debug, Message = "Started ansible-playbook as process group {Group} for {Hosts} hosts")]
    public static partial void Started(ILogger logger, int group, int hosts);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Error, Message = "Could not start ansible-playbook at {Path}: {Reason}")]
    public static partial void StartFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Stopping ansible-playbook process group {Group} ({Why})")]
    public static partial void Stopping(ILogger logger, int group, string why);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Skipped {Count} lines of the events file that were not plugin events")]
    public static partial void EventsSkipped(ILogger logger, int count);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "Could not stop the run's remote processes on {Cluster}/{Node}: {Outcome}")]
    public static partial void RemoteStopFailed(ILogger logger, string cluster, string node, string outcome);

}
