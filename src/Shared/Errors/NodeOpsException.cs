namespace NodeOps.Errors;

/// <summary>What went wrong, in terms both API surfaces can map to their own status codes and shapes.</summary>
public enum ErrorKind
{
    BadRequest,
    Validation,
    Unauthorized,
    Forbidden,
    FeatureDisabled,
    NotFound,
    Conflict,
    TooManyRequests,
    PayloadTooLarge,
    Unavailable,
}

/// <summary>
/// A domain error that is safe to show to the caller. Its message never holds secrets or internals;
/// anything else that escapes a handler becomes a generic 500.
/// </summary>
public class NodeOpsException : Exception
{
    public NodeOpsException(ErrorKind kind, string message, string? field = null, string? code = null)
        : base(message)
    {
        Kind = kind;
        Field = field;
        Code = code;
    }

    public ErrorKind Kind { get; }

    /// <summary>The request field at fault, in the wire's spelling (snake_case), when there is one.</summary>
    public string? Field { get; }

    /// <summary>A stable machine code (e.g. HOST_KEY_MISMATCH, MISSING_QUERY) when the surface has one.</summary>
    public string? Code { get; }

    /// <summary>Further problems when validation found more than one.</summary>
    public IReadOnlyList<FieldError> Details { get; init; } = [];

    /// <summary>The envelope's "message" when the surface's default for the kind does not fit (e.g. "命令验证失败").</summary>
    public string? Title { get; init; }

    /// <summary>Extra facts for the caller (e.g. a command and its exit code), never secrets.</summary>
    public IReadOnlyDictionary<string, object?>? Context { get; init; }

    /// <summary>Seconds the caller should wait, for <see cref="ErrorKind.TooManyRequests"/>.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static NodeOpsException BadRequest(string field, string message) => new(ErrorKind.BadRequest, message, field);

    public static NodeOpsException Invalid(string field, string message) => new(ErrorKind.Validation, message, field);

    public static NodeOpsException NotFound(string message) => new(ErrorKind.NotFound, message);

    public static NodeOpsException Conflict(string message, string? field = null) => new(ErrorKind.Conflict, message, field);

    public static NodeOpsException Forbidden(string message) => new(ErrorKind.Forbidden, message);

    /// <summary>Raises one error that lists every problem, or does nothing when there are none.</summary>
    public static void ThrowIfAny(IReadOnlyList<FieldError> errors, ErrorKind kind = ErrorKind.Validation)
    {
        if (errors.Count == 0)
        {
            return;
        }

        var message = string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"));
        throw new NodeOpsException(kind, message, errors[0].Field) { Details = errors };
    }
}

public sealed record FieldError(string Field, string Message);
