using System.Text.Json;
using NodeOps.Json;

namespace NodeOps.Progress;

/// <summary>A progress event as every transport sends it: the WebSocket's text frame, the SignalR `progress` payload.</summary>
public static class ProgressWire
{
    public static byte[] ToUtf8Json(ProgressEvent progressEvent) => JsonSerializer.SerializeToUtf8Bytes(progressEvent, NodeOpsJson.Options);

    /// <summary>The same JSON as an element, which SignalR's JSON protocol writes through unchanged.</summary>
    public static JsonElement ToElement(ProgressEvent progressEvent) => JsonSerializer.SerializeToElement(progressEvent, NodeOpsJson.Options);
}
