using Microsoft.AspNetCore.SignalR;

namespace NodeOps.Functions.SignalR;

/// <summary>
/// The progress hub at /api/v1/hubs/progress (standalone host, or scaled out through Azure SignalR Service in its
/// default mode). Clients call Subscribe(taskId) and Unsubscribe(taskId) and receive `progress` messages whose
/// payload is the WebSocket's event JSON: the snapshot first, then start, progress and complete. A refused
/// subscription fails the invocation with the WebSocket's error text.
/// </summary>
internal sealed class ProgressHub(HubProgressConnections connections) : Hub
{
    public const string ProgressMethod = "progress";

    public override Task OnConnectedAsync()
    {
        connections.Open(Context);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Close(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    public async Task Subscribe(string taskId)
    {
        var subscriptions = connections.Get(Context.ConnectionId);
        var outcome = await subscriptions.SubscribeAsync(taskId, Context.ConnectionAborted);
        if (subscriptions.Refusal(outcome, taskId) is { } refusal)
        {
            throw new HubException(refusal);
        }
    }

    public void Unsubscribe(string taskId) => connections.Get(Context.ConnectionId).Unsubscribe(taskId);
}
