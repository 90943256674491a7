using Microsoft.Extensions.Options;
using NodeOps.Errors;
using NodeOps.Functions.Security;
using NodeOps.Progress;

namespace NodeOps.Functions.Apis;

/// <summary>
/// Live progress over a WebSocket: GET /api/v1/progress/ws?token=... (browsers cannot set headers on a WebSocket,
/// so the token may come in the query). Who may watch what is <see cref="ProgressAccess"/>, shared with the SignalR hub.
/// </summary>
internal static class ProgressApi
{
    public static RouteGroupBuilder MapProgressApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/progress").WithTags("Progress").RequireRole(ProgressAccess.MinimumRole);
        group.MapGet("/ws", ConnectAsync);
        return group;
    }

    private static async Task ConnectAsync(HttpContext http, InProcessProgressBus bus, IOptions<ProgressOptions> options, TimeProvider time)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            throw NodeOpsException.BadRequest("connection", "此地址只接受 WebSocket 连接");
        }

        // Pings go out every 15 s; a client that does not answer within 30 s more is dropped as dead.
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = TimeSpan.FromSeconds(15),
            KeepAliveTimeout = TimeSpan.FromSeconds(30),
        });
        await new WebSocketProgressConnection(socket, bus, options.Value, time).RunAsync(http.RequestAborted);
    }
}
