using NodeOps.Errors;

namespace NodeOps.Functions.Http;

/// <summary>An error on its way to the caller, before it takes one surface's shape.</summary>
internal sealed record ApiError(int Status, string Detail, string? Field = null, string? Code = null, string? Title = null)
{
    public IReadOnlyList<FieldError> Details { get; init; } = [];

    public IReadOnlyDictionary<string, object?>? Context { get; init; }

    public int? RetryAfterSeconds { get; init; }

    public static ApiError From(NodeOpsException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return new ApiError(StatusOf(ex.Kind), ex.Message, ex.Field, ex.Code ?? DefaultCode(ex.Kind), ex.Title ?? (ex.Kind == ErrorKind.FeatureDisabled ? "功能未启用" : null))
        {
            Details = ex.Details,
            Context = ex.Context,
            RetryAfterSeconds = ex.RetryAfterSeconds,
        };
    }

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.BadRequest => 400,
        ErrorKind.Validation => 422,
        ErrorKind.Unauthorized => 401,
        ErrorKind.Forbidden or ErrorKind.FeatureDisabled => 403,
        ErrorKind.NotFound => 404,
        ErrorKind.Conflict => 409,
        ErrorKind.PayloadTooLarge => 413,
        ErrorKind.TooManyRequests => 429,
        ErrorKind.Unavailable => 503,
        _ => 500,
    };

    /// <summary>The assistant surface's error_code for a status when the error has none of its own.</summary>
    public static string DefaultCode(int status) => status switch
    {
        400 => "INVALID_REQUEST",
        401 => "UNAUTHORIZED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        405 => "METHOD_NOT_ALLOWED",
        409 => "CONFLICT",
        413 => "PAYLOAD_TOO_LARGE",
        415 => "UNSUPPORTED_MEDIA_TYPE",
        422 => "VALIDATION_FAILED",
        429 => "RATE_LIMITED",
        503 => "SERVICE_UNAVAILABLE",
        _ => "INTERNAL_ERROR",
    };

    private static string? DefaultCode(ErrorKind kind) => kind == ErrorKind.FeatureDisabled ? "FEATURE_DISABLED" : null;
}
