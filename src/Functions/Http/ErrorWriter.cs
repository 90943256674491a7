using System.Globalization;
using System.Text.Json.Serialization;
using NodeOps.Json;

namespace NodeOps.Functions.Http;

/// <summary>
/// Writes an error in the shape of the surface the request belongs to: the automation envelope
/// {code, message, error} or the assistant's {error, status, error_code, error_details, timestamp, request_id}.
/// </summary>
internal static class ErrorWriter
{
    public static Task WriteAsync(HttpContext context, ApiError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        var response = context.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        response.Clear();
        RequestIds.Apply(context);
        response.StatusCode = error.Status;
        if (error.RetryAfterSeconds is { } retry)
        {
            response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        }

        object body = ApiSurfaces.Of(context.Request.Path) == ApiSurface.Assistant
            ? AssistantBody(context, error)
            : AutomationBody(context, error);
        return response.WriteAsJsonAsync(body, NodeOpsJson.Options, contentType: "application/json; charset=utf-8");
    }

    private static AutomationError AutomationBody(HttpContext context, ApiError error) => new(
        error.Status,
        error.Title ?? AutomationTitle(error.Status),
        error.Detail,
        error.Field,
        error.Code,
        error.Details.Count > 1 ? error.Details.Select(d => new FieldProblem(d.Field, d.Message)).ToList() : null,
        RequestIds.Get(context));

    private static AssistantError AssistantBody(HttpContext context, ApiError error)
    {
        var details = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (error.Field is not null)
        {
            details["field"] = error.Field;
        }

        details["message"] = error.Detail;
        if (error.Context is not null)
        {
            foreach (var (key, value) in error.Context)
            {
                details[key] = value;
            }
        }

        return new AssistantError(
            error.Title ?? error.Detail,
            "error",
            error.Code ?? ApiError.DefaultCode(error.Status),
            details,
            TimeProvider.System.GetUtcNow(),
            RequestIds.Get(context));
    }

    private static string AutomationTitle(int status) => status switch
    {
        400 => "请求参数错误",
        401 => "未授权",
        403 => "权限不足",
        404 => "资源不存在",
        405 => "方法不允许",
        409 => "资源冲突",
        413 => "请求体过大",
        415 => "不支持的媒体类型",
        422 => "验证失败",
        429 => "请求过于频繁",
        503 => "服务不可用",
        _ => "服务器内部错误",
    };

    private sealed record AutomationError(
        int Code,
        string Message,
        string Error,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorCode,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FieldProblem>? Details,
        string RequestId);

    private sealed record FieldProblem(string Field, string Message);

    private sealed record AssistantError(string Error, string Status, string ErrorCode, IReadOnlyDictionary<string, object?> ErrorDetails, DateTimeOffset Timestamp, string RequestId);
}
