using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using NodeOps.Progress;

namespace NodeOps.Functions.SignalR;

/// <summary>
/// Per-connection state of the progress hub (hub instances live for one call only): the connection's
/// <see cref="ProgressSubscriptions"/> and a writer that drains its outbox at the client's pace, exactly as the
/// WebSocket's writer does. A client too slow for its must-deliver queue is disconnected.
/// </summary>
internal sealed class HubProgressConnections(
    InProcessProgressBus bus,
    IOptions<ProgressOptions> options,
    IHubContext<ProgressHub> hub,
    ILogger<HubProgressConnections> logger)
{
    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public void Open(HubCallerContext context)
    {
        var connection = new Connection(new ProgressSubscriptions(bus, options.Value), new CancellationTokenSource());
        _connections[context.ConnectionId] = connection;
        _ = WriteAsync(context, connection);
    }

    public ProgressSubscriptions Get(string connectionId) =>
        _connections.TryGetValue(connectionId, out var connection) ? connection.Subscriptions : throw new HubException("连接已关闭");

    public void Close(string connectionId)
    {
        if (_connections.TryRemove(connectionId, out var connection))
        {
            connection.Subscriptions.Release();
            connection.Stop.Cancel();
            connection.Stop.Dispose();
        }
    }

    private async Task WriteAsync(HubCallerContext context, Connection connection)
    {
        var outbox = connection.Subscriptions.Outbox;
        var client = hub.Clients.Client(context.ConnectionId);
        var stop = connection.Stop.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var next = await outbox.ReadAsync(stop);
                if (outbox.Overflowed)
                {
                    logger.LogInformation("Progress hub connection {ConnectionId} is too slow; closing it", context.ConnectionId);
                    context.Abort();
                    return;
                }

                // Completes once the message is written to the connection, so a slow client holds its own writer back and
                // the outbox merges its intermediate progress meanwhile.
                await client.SendAsync(ProgressHub.ProgressMethod, ProgressWire.ToElement(next), stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The connection broke under the send; OnDisconnectedAsync releases its subscriptions.
            logger.LogDebug(ex, "Progress hub connection {ConnectionId} stopped writing", context.ConnectionId);
        }
    }

    private sealed record Connection(ProgressSubscriptions Subscriptions, CancellationTokenSource Stop);
}
