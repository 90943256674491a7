using System.Net.WebSockets;
using System.Text.Json;
using NodeOps.Auth;
using NodeOps.Tests.Executions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Progress;

[Collection(SshNodesCollection.Name)]
public sealed class ProgressWebSocketTests(SshNodes nodes) : SshNodesTest(nodes)
{
    [Fact]
    public async Task Subscribe_ToARunningTask_GetsSnapshotThenNodeEventsThenCompletion_OnEveryConnection()
    {
        var taskId = await ExecutionApiClient.StartAsync(User, "ssh", new
        {
            cluster_name = "test",
            target_nodes = new[] { "node17", "node18", "node19" },
            credential_id = 1,
            command = "sleep 1; echo done",
            max_concurrent = 1,
        });
        var token = await Host.TokenAsync(Role.Viewer);
        using var first = await ConnectAsync(token);
        using var second = await ConnectAsync(token);
        await SendAsync(first, new { action = "subscribe", task_id = taskId });
        await SendAsync(second, new { action = "subscribe", task_id = taskId });

        var events = await ReadUntilCompleteAsync(first);
        var other = await ReadUntilCompleteAsync(second);

        Assert.Equal("snapshot", events[0].GetProperty("type").GetString());
        var complete = events[^1];
        Assert.Equal("complete", complete.GetProperty("type").GetString());
        Assert.Equal(taskId, complete.GetProperty("task_id").GetString());
        Assert.Equal(100, complete.GetProperty("progress").GetInt32());
        Assert.Equal(3, complete.GetProperty("current").GetInt32());
        Assert.Equal(3, complete.GetProperty("total").GetInt32());
        Assert.Equal("completed", complete.GetProperty("data").GetProperty("status").GetString());
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "progress" && e.GetProperty("current_node").GetString() == "node19");
        foreach (var name in new[] { "task_id", "type", "progress", "message", "data", "current", "total", "current_node", "timestamp" })
        {
            Assert.True(complete.TryGetProperty(name, out _), $"missing {name}");
        }

        Assert.Equal("complete", other[^1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Subscribe_AfterTheTaskFinished_GetsSnapshotAndCompletion()
    {
        var taskId = await ExecutionApiClient.StartAsync(User, "ssh", new { cluster_name = "test", target_nodes = new[] { "node20" }, credential_id = 1, command = "true" });
        await ExecutionApiClient.WaitForFinalAsync(User, "ssh", taskId);
        using var socket = await ConnectAsync(await Host.TokenAsync(Role.Viewer));

        await SendAsync(socket, new { action = "subscribe", task_id = taskId });
        var events = await ReadUntilCompleteAsync(socket);

        Assert.Equal(["snapshot", "complete"], events.Select(e => e.GetProperty("type").GetString()!).ToArray());
        Assert.Equal("completed", events[0].GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Subscribe_UnknownTaskOrBadMessage_AnswersWithAnErrorAndKeepsTheConnection()
    {
        using var socket = await ConnectAsync(await Host.TokenAsync(Role.Viewer));

        await SendAsync(socket, new { action = "subscribe", task_id = "ssh-exec-1-missing" });
        var unknown = await ReceiveAsync(socket);
        await SendRawAsync(socket, "{not json");
        var malformed = await ReceiveAsync(socket);
        await SendAsync(socket, new { action = "ping" });
        var pong = await ReceiveAsync(socket);

        Assert.Equal("error", unknown.GetProperty("type").GetString());
        Assert.Equal("error", malformed.GetProperty("type").GetString());
        Assert.Equal("pong", pong.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Connect_WithoutAValidToken_IsRefused()
    {
        using var socket = new ClientWebSocket();
        var uri = new Uri(Host.BaseAddress.ToString().Replace("http", "ws", StringComparison.Ordinal) + "api/v1/progress/ws?token=garbage");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
    }

    [Fact]
    public async Task Subscribe_OnAnotherInstance_SeesTheTaskThroughTheSharedStore()
    {
        await using var other = await TestHost.StartAsync(new Dictionary<string, string?> { ["Executions:WorkerEnabled"] = "false", ["Progress:PollInterval"] = "00:00:00.200" },
            dataPath: Host.DataPath, configureServices: FixtureCatalog.For(Nodes.Sshd).Register);
        var taskId = await ExecutionApiClient.StartAsync(User, "ssh", new
        {
            cluster_name = "test",
            target_nodes = new[] { "node21", "node22" },
            credential_id = 1,
            command = "sleep 1",
            max_concurrent = 1,
        });
        using var socket = await ConnectAsync(await other.TokenAsync(Role.Viewer), other);

        await SendAsync(socket, new { action = "subscribe", task_id = taskId });
        var events = await ReadUntilCompleteAsync(socket);

        Assert.Equal("snapshot", events[0].GetProperty("type").GetString());
        Assert.Equal("completed", events[^1].GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(2, events[^1].GetProperty("current").GetInt32());
    }

    private Task<ClientWebSocket> ConnectAsync(string token, TestHost? host = null) => ProgressClient.ConnectAsync(host ?? Host, token);

    private static Task SendAsync(ClientWebSocket socket, object message) => ProgressClient.SendAsync(socket, message);

    private static Task SendRawAsync(ClientWebSocket socket, string text) => ProgressClient.SendRawAsync(socket, text);

    private static Task<JsonElement> ReceiveAsync(ClientWebSocket socket) => ProgressClient.ReceiveAsync(socket);

    private static async Task<List<JsonElement>> ReadUntilCompleteAsync(ClientWebSocket socket)
    {
        var events = new List<JsonElement>();
        for (var i = 0; i < 1000; i++)
        {
            var next = await ReceiveAsync(socket);
            events.Add(next);
            if (next.GetProperty("type").GetString() == "complete")
            {
                return events;
            }
        }

        throw new InvalidOperationException("no completion in 1000 events");
    }
}
