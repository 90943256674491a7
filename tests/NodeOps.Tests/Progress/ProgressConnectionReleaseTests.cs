using System.Net.WebSockets;
using NodeOps.Auth;
using NodeOps.Progress;
using NodeOps.Tests.Executions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Progress;

/// <summary>
/// Per-connection state is released when progress clients go, however they go (a close handshake, or the socket
/// simply dropped): after a crowd of subscribers leaves, the bus holds no subscription and no task.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class ProgressConnectionReleaseTests(SshNodes nodes) : SshNodesTest(nodes)
{
    private const int Clients = 40;

    [Fact]
    public async Task ManyClientsSubscribeAndLeave_TheBusReturnsToEmpty()
    {
        var bus = Host.GetRequiredService<InProcessProgressBus>();
        var taskId = await ExecutionApiClient.StartAsync(User, "ssh", new
        {
            cluster_name = "test",
            target_nodes = new[] { "node23", "node24" },
            credential_id = 1,
            command = "sleep 5",
            max_concurrent = 1,
        });
        var token = await Host.TokenAsync(Role.Viewer);
        var sockets = new List<ClientWebSocket>();
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                var socket = await ProgressClient.ConnectAsync(Host, token);
                sockets.Add(socket);
                await ProgressClient.SendAsync(socket, new { action = "subscribe", task_id = taskId });
            }

            // Every client has its snapshot, so every subscription is registered.
            foreach (var socket in sockets)
            {
                Assert.Equal("snapshot", (await ProgressClient.ReceiveAsync(socket)).GetProperty("type").GetString());
            }

            Assert.Equal(Clients, bus.SubscriptionCount);
            for (var i = 0; i < sockets.Count; i++)
            {
                if (i % 2 == 0)
                {
                    using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await sockets[i].CloseAsync(WebSocketCloseStatus.NormalClosure, "done", closing.Token);
                }
                else
                {
                    sockets[i].Abort();
                }
            }

            await Eventually.GetAsync(() => Task.FromResult(bus.SubscriptionCount == 0 && bus.SubscribedTaskCount == 0 ? "released" : null),
                TimeSpan.FromSeconds(60), $"release of every subscription (still {bus.SubscriptionCount})");
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }
}
