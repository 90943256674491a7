using NodeOps.Json;

namespace NodeOps.Functions.Http;

/// <summary>The automation surface's success envelope: {code, message, data}.</summary>
internal static class Envelope
{
    public static IResult Ok(object? data, string message = "获取成功") =>
        Results.Json(new SuccessBody(200, message, data), NodeOpsJson.Options, statusCode: 200);

    public static IResult Ok(string message) =>
        Results.Json(new MessageBody(200, message), NodeOpsJson.Options, statusCode: 200);

    public static IResult Created(object? data, string message = "创建成功") =>
        Results.Json(new SuccessBody(201, message, data), NodeOpsJson.Options, statusCode: 201);

    private sealed record SuccessBody(int Code, string Message, object? Data);

    private sealed record MessageBody(int Code, string Message);
}
