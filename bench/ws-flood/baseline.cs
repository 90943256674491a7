#:sdk Microsoft.NET.Sdk.Web
#:property PublishAot=false
// The baseline for bench/ws-flood: bare Kestrel accepting WebSockets at the progress path with the same keep-alive
// settings, answering each message with one small JSON reply, with none of NodeOps (authentication, the progress
// bus, storage). The same floods against it show what the runtime and Kestrel themselves keep.
using System.Net.WebSockets;

var app = WebApplication.CreateSlimBuilder(args).Build();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
var reply = "{\"type\":\"pong\",\"task_id\":\"\",\"message\":\"pong\"}"u8.ToArray();
app.Map("/api/v1/progress/ws", async (HttpContext http) =>
{
    using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
    {
        KeepAliveInterval = TimeSpan.FromSeconds(15),
        KeepAliveTimeout = TimeSpan.FromSeconds(30),
    });
    var buffer = new byte[4096];
    try
    {
        while (socket.State == WebSocketState.Open)
        {
            var received = await socket.ReceiveAsync(buffer, http.RequestAborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                break;
            }

            if (received.EndOfMessage)
            {
                await socket.SendAsync(reply, WebSocketMessageType.Text, true, http.RequestAborted);
            }
        }
    }
    catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
    {
        // The client dropped the connection.
    }
});
app.Run();
