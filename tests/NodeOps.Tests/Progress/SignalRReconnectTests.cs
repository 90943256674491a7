using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using NodeOps.Auth;
using NodeOps.Functions.SignalR;
using NodeOps.Progress;
using NodeOps.Tests.Executions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Progress;

/// <summary>
/// The .NET SignalR client through a loopback TCP relay that the test cuts: the client reconnects on its own,
/// subscribes again and starts from a fresh snapshot; the server released the dropped connection's subscriptions.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class SignalRReconnectTests(SshNodes nodes) : SshNodesTest(nodes)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AfterTheConnectionDrops_TheClientReconnects_AndGetsASnapshotAgain()
    {
        var taskId = await ExecutionApiClient.StartAsync(User, "ssh", new
        {
            cluster_name = "test",
            target_nodes = new[] { "node4", "node5" },
            credential_id = 1,
            command = "sleep 4",
            max_concurrent = 1,
        });
        var token = await Host.TokenAsync(Role.Viewer);
        await using var relay = TcpRelay.Start(Host.BaseAddress);
        var events = Channel.CreateUnbounded<JsonElement>();
        await using var connection = new HubConnectionBuilder()
            .WithUrl($"http://{relay.Address}/api/v1/hubs/progress", o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                o.Transports = HttpTransportType.WebSockets;
            })
            .WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)])
            .Build();
        connection.On<JsonElement>("progress", e => events.Writer.TryWrite(e));
        // A new connection has no subscriptions: the client subscribes again, as a real client does on Reconnected.
        connection.Reconnected += _ => connection.InvokeAsync("Subscribe", taskId);
        await connection.StartAsync();
        await connection.InvokeAsync("Subscribe", taskId);
        Assert.Equal("snapshot", (await NextAsync(events)).GetProperty("type").GetString());
        var firstConnection = connection.ConnectionId;

        relay.DropAll();
        var afterDrop = new List<JsonElement>();
        do
        {
            afterDrop.Add(await NextAsync(events));
        }
        while (afterDrop[^1].GetProperty("type").GetString() != "snapshot");

        Assert.NotEqual(firstConnection, connection.ConnectionId);
        Assert.Equal(taskId, afterDrop[^1].GetProperty("task_id").GetString());
        var connections = Host.GetRequiredService<HubProgressConnections>();
        var bus = Host.GetRequiredService<InProcessProgressBus>();
        await Eventually.GetAsync(() => Task.FromResult(connections.Count == 1 && bus.SubscriptionCount == 1 ? "released" : null), Patience, "the dropped connection's release");

        var last = afterDrop[^1];
        while (last.GetProperty("type").GetString() != "complete")
        {
            last = await NextAsync(events);
        }

        Assert.Equal("completed", last.GetProperty("data").GetProperty("status").GetString());
    }

    private static async Task<JsonElement> NextAsync(Channel<JsonElement> events)
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await events.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Relays loopback TCP connections to the host; <see cref="DropAll"/> cuts every one, as a network would.</summary>
    private sealed class TcpRelay : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Uri _target;
        private readonly List<TcpClient> _open = [];
        private readonly CancellationTokenSource _stop = new();
        private Task _accepting = Task.CompletedTask;

        private TcpRelay(Uri target) => _target = target;

        public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public static TcpRelay Start(Uri target)
        {
            var relay = new TcpRelay(target);
            relay._listener.Start();
            relay._accepting = relay.AcceptAsync();
            return relay;
        }

        public void DropAll()
        {
            lock (_open)
            {
                foreach (var client in _open)
                {
                    // A reset, not a goodbye: both ends see the connection break at once.
                    if (client.Client is { Connected: true } socket)
                    {
                        socket.LingerState = new LingerOption(true, 0);
                    }

                    client.Dispose();
                }

                _open.Clear();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            DropAll();
            await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient inbound;
                try
                {
                    inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                var outbound = new TcpClient();
                await outbound.ConnectAsync(_target.Host, _target.Port);
                lock (_open)
                {
                    _open.Add(inbound);
                    _open.Add(outbound);
                }

                _ = PipeAsync(inbound, outbound);
                _ = PipeAsync(outbound, inbound);
            }
        }

        private static async Task PipeAsync(TcpClient from, TcpClient to)
        {
            try
            {
                await from.GetStream().CopyToAsync(to.GetStream());
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
            {
            }
            finally
            {
                from.Dispose();
                to.Dispose();
            }
        }
    }
}
