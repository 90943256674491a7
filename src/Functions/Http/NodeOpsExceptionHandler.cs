using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using NodeOps.Errors;
using NodeOps.Json;
using NodeOps.Storage;

namespace NodeOps.Functions.Http;

/// <summary>
/// The one place where exceptions become responses. Domain errors keep their message; malformed input names the
/// field at fault; anything unexpected is logged as an error and answered with a generic 500 that reveals nothing.
/// Expected conditions (a 503 for an unconfigured LLM, storage briefly away) log a warning line without a stack.
/// </summary>
internal sealed partial class NodeOpsExceptionHandler(ILogger<NodeOpsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is nobody to answer.
            return true;
        }

        var error = Map(exception);
        HttpLog.Answered(logger, httpContext, exception, error);
        await ErrorWriter.WriteAsync(httpContext, error);
        return true;
    }

    internal static ApiError Map(Exception exception) => exception switch
    {
        NodeOpsException domain => ApiError.From(domain),
        BadHttpRequestException { StatusCode: 413 } => new ApiError(413, "请求体超过允许的大小"),
        BadHttpRequestException { InnerException: JsonException json } => FromJson(json),
        BadHttpRequestException bad => FromBinding(bad),
        JsonException json => FromJson(json),
        StoreUnavailableException => new ApiError(503, "存储暂时不可用，请稍后重试"),
        _ => new ApiError(500, "服务器内部错误"),
    };

    private static ApiError FromJson(JsonException json)
    {
        var field = FieldFromPath(json.Path);
        if (json is JsonInputException input)
        {
            return new ApiError(400, field is null ? "请求体" + input.Problem : $"字段 {field} {input.Problem}", field);
        }

        var detail = json.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? $"字段 {field ?? "(body)"} 的类型不正确"
            : json.Message.Contains("missing required properties", StringComparison.Ordinal)
                ? $"缺少必需字段: {MissingProperties(json.Message)}"
                : json.Message.Contains("could not be mapped", StringComparison.Ordinal)
                    ? $"未知字段: {field}"
                    : json.Message.Contains("null", StringComparison.OrdinalIgnoreCase) && field is not null
                        ? $"字段 {field} 不能为 null"
                        : "请求体不是有效的 JSON";
        return new ApiError(400, detail, field ?? MissingField(json.Message));
    }

    private static ApiError FromBinding(BadHttpRequestException bad)
    {
        var match = ParameterRegex().Match(bad.Message);
        var field = match.Success ? match.Groups["name"].Value : null;
        var detail = bad.StatusCode == 415
            ? "Content-Type 必须是 application/json"
            : field is null ? "请求参数错误" : $"参数 {field} 的值无效";
        return new ApiError(bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400, detail, field);
    }

    /// <summary>"$.steps[2].timeout" becomes "steps[2].timeout".</summary>
    private static string? FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? null : field;
    }

    private static string? MissingField(string message)
    {
        var names = MissingProperties(message);
        return names.Length == 0 ? null : names.Split(',')[0].Trim();
    }

    private static string MissingProperties(string message)
    {
        var match = MissingRegex().Match(message);
        return match.Success ? match.Groups["names"].Value.Replace("'", "", StringComparison.Ordinal) : "";
    }

    [GeneratedRegex("parameter \"\\S+ (?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex ParameterRegex();

    [GeneratedRegex("missing required properties including: (?<names>[^.]+)")]
    private static partial Regex MissingRegex();
}
