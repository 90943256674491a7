using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using NodeOps.Json;

namespace NodeOps.Functions.Apis;

/// <summary>
/// Writes SSE "data:" frames. Headers go out with the first frame, so an error before any frame still gets its
/// own HTTP status and the surface's error body. Each frame is one write and one flush, so it leaves at once and
/// arrives whole for clients that parse per chunk, as the spec's JavaScript client does.
/// </summary>
internal sealed class ChatStreamWriter(HttpContext http)
{
    public bool Started { get; private set; }

    public async ValueTask WriteAsync(object frame, CancellationToken cancellationToken)
    {
        var response = http.Response;
        if (!Started)
        {
            Started = true;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            response.Headers.Connection = "keep-alive";
            response.Headers["X-Accel-Buffering"] = "no";
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(frame, NodeOpsJson.Options);
        var buffer = new byte[json.Length + 8];
        Encoding.ASCII.GetBytes("data: ", buffer);
        json.CopyTo(buffer, 6);
        buffer[^2] = (byte)'\n';
        buffer[^1] = (byte)'\n';
        await response.Body.WriteAsync(buffer, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
