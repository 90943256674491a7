using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace NodeOps.Bench;

/// <summary>
/// Waits for a task's completion on the progress WebSocket, as a UI does. The benchmarks time runs this way so
/// that no status polling competes with the measured work for the machine's few cores.
/// </summary>
internal sealed class ProgressSocket : IDisposable
{
    private readonly ClientWebSocket _socket = new();

    private ProgressSocket()
    {
    }

    public static async Task<ProgressSocket> ConnectAsync(Uri baseAddress, string token)
    {
        var socket = new ProgressSocket();
        await socket._socket.ConnectAsync(new Uri($"ws://{baseAddress.Authority}/api/v1/progress/ws?token={token}"), CancellationToken.None);
        return socket;
    }

    /// <summary>Subscribes to the task and returns when its "complete" event arrives (a late subscriber gets the state first).</summary>
    public async Task WaitForCompletionAsync(string taskId, TimeSpan timeout)
    {
        await _socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { action = "subscribe", task_id = taskId })), WebSocketMessageType.Text, true, CancellationToken.None);
        using var deadline = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await _socket.ReceiveAsync(buffer, deadline.Token);
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);
            using var document = JsonDocument.Parse(message.ToArray());
            if (document.RootElement.TryGetProperty("task_id", out var id) && id.GetString() == taskId
                && document.RootElement.GetProperty("type").GetString() == "complete")
            {
                return;
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
