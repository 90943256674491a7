using Microsoft.Extensions.Logging;

namespace NodeOps.Sandbox;

internal static partial class Log
{
    [LoggerMessage(EventId = 4600, Level = LogLevel.Error, Message = "The sandbox cannot be set up, so work that needs it is refused: {Cause}")]
    public static partial void Unavailable(ILogger logger, string cause);

    [LoggerMessage(EventId = 4601, Level = LogLevel.Warning, Message = "{Setting}=off: {What} run WITHOUT the sandbox, with NodeOps's own privileges and view of this host")]
    public static partial void SandboxOff(ILogger logger, string setting, string what);
}
