using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Progress;

/// <summary>The client side of the progress WebSocket, as the tests speak it: connect with a token, send, receive one event.</summary>
internal static class ProgressClient
{
    public static async Task<ClientWebSocket> ConnectAsync(TestHost host, string token)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{host.BaseAddress.Authority}/api/v1/progress/ws?token={token}"), CancellationToken.None);
        return socket;
    }

    public static Task SendAsync(ClientWebSocket socket, object message) => SendRawAsync(socket, JsonSerializer.Serialize(message));

    public static Task SendRawAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        var length = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), timeout.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        return JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
    }
}
