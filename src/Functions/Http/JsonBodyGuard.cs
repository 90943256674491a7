using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using NodeOps.Errors;
using NodeOps.Json;

namespace NodeOps.Functions.Http;

/// <summary>
/// Every route that takes a JSON body (its endpoint declares <see cref="IAcceptsMetadata"/>) gets a body that is a
/// well-formed JSON object, or a 400 naming what is wrong: an empty body, <c>null</c>, an array or scalar, nesting
/// deeper than the serializer's limit, a string or name holding a lone UTF-16 surrogate. Checked once here, before
/// binding, so no handler sees a null request or text it cannot read.
/// </summary>
internal static class JsonBodyGuard
{
    public static IApplicationBuilder UseJsonBodyGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { } accepts
            && accepts.ContentTypes.Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase)))
        {
            await CheckAsync(context.Request);
        }

        await next(context);
    });

    private static async Task CheckAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        // Even where the binder thinks the body optional (a parameter typed by a generic argument has no nullability
        // it can see), no handler here can work without one.
        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw NodeOpsException.BadRequest("body", "请求体为空：需要一个 JSON 对象");
        }

        if (!request.HasJsonContentType())
        {
            // The binder answers 415 with its own message.
            return;
        }

        Validate(body.Span);
    }

    /// <summary>Walks the document once without building it; throws a 400 naming the field at fault.</summary>
    internal static void Validate(ReadOnlySpan<byte> json)
    {
        var maxDepth = NodeOpsJson.Options.MaxDepth;
        // One more level than allowed, so the walk (not the reader) notices the excess and says so.
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        var path = new JsonPathTracker();
        try
        {
            if (!reader.Read())
            {
                throw NodeOpsException.BadRequest("body", "请求体为空：需要一个 JSON 对象");
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    throw NodeOpsException.BadRequest("body", "请求体是 null：需要一个 JSON 对象");
                case not JsonTokenType.StartObject:
                    throw NodeOpsException.BadRequest("body", $"请求体必须是 JSON 对象，收到的是{Kind(reader.TokenType)}");
            }

            do
            {
                path.Step(ref reader);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= maxDepth)
                {
                    throw NodeOpsException.BadRequest(path.Current ?? "body", $"JSON 嵌套超过 {maxDepth} 层");
                }

                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && !IsReadableText(ref reader))
                {
                    var field = path.Current ?? "body";
                    throw NodeOpsException.BadRequest(field, $"字段 {field} 含有无效的 Unicode 转义：孤立的 UTF-16 代理项（如 \\ud800）");
                }
            }
            while (reader.Read());
        }
        catch (JsonException ex)
        {
            throw NodeOpsException.BadRequest(path.Current ?? "body",
                $"请求体不是有效的 JSON（第 {(ex.LineNumber ?? 0) + 1} 行，第 {(ex.BytePositionInLine ?? 0) + 1} 个字节附近）");
        }
    }

    private static bool IsReadableText(ref Utf8JsonReader reader)
    {
        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "数组",
        JsonTokenType.String => "字符串",
        JsonTokenType.Number => "数字",
        JsonTokenType.True or JsonTokenType.False => "布尔值",
        _ => token.ToString(),
    };
}
