using NodeOps.Errors;
using NodeOps.Storage;

namespace NodeOps.Functions.Http;

/// <summary>
/// How an error answer is logged. Only the unexpected (a 500 the handler could not map) is an error with its stack;
/// a 5xx NodeOps expects (LLM not configured, storage unavailable) is a warning line; 4xx answers are the caller's
/// business and log at debug.
/// </summary>
internal static partial class HttpLog
{
    public static void Answered(ILogger logger, HttpContext context, Exception exception, ApiError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(error);
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "";
        var requestId = RequestIds.Get(context);
        if (!IsExpected(exception))
        {
            Unexpected(logger, exception, method, path, requestId);
        }
        else if (error.Status >= 500)
        {
            Unavailable(logger, method, path, error.Status, error.Code ?? ApiError.DefaultCode(error.Status), error.Detail, requestId);
        }
        else
        {
            Refused(logger, method, path, error.Status, error.Field, error.Detail, requestId);
        }
    }

    /// <summary>Every mapped failure is expected; what falls through to the generic 500 is not.</summary>
    private static bool IsExpected(Exception exception) =>
        exception is NodeOpsException or BadHttpRequestException or System.Text.Json.JsonException or StoreUnavailableException;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path} (request {RequestId})")]
    private static partial void Unexpected(ILogger logger, Exception exception, string method, string path, string requestId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Method} {Path} answered {Status} {Code}: {Detail} (request {RequestId})")]
    private static partial void Unavailable(ILogger logger, string method, string path, int status, string code, string detail, string requestId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "{Method} {Path} answered {Status} (field {Field}): {Detail} (request {RequestId})")]
    private static partial void Refused(ILogger logger, string method, string path, int status, string? field, string detail, string requestId);
}
