using System.Text.Json;

namespace NodeOps.Json;

/// <summary>
/// A JSON value that is well formed but not acceptable for its field (an unknown enum name, a number outside its
/// type's range, a string with a lone UTF-16 surrogate, a document nested too deep). <see cref="Problem"/> is meant
/// for the caller: the error handler puts the field's name (the exception's Path) in front of it.
/// </summary>
public sealed class JsonInputException : JsonException
{
    public JsonInputException(string problem)
        : base(problem)
    {
        Problem = problem;
    }

    public JsonInputException(string problem, string? path)
        : base(problem, path, null, null)
    {
        Problem = problem;
    }

    public JsonInputException()
        : this("请求体不是有效的 JSON")
    {
    }

    public JsonInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = message;
    }

    /// <summary>What is wrong with the value, without the field's name, e.g. "的值 \"root\" 无效，允许的值: viewer, user, admin".</summary>
    public string Problem { get; }
}
