using System.Text.Json;
using NodeOps.Auth;
using NodeOps.Processes;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Progress;

/// <summary>
/// The real @microsoft/signalr client, under node, against the standalone host's progress hub: no token is refused
/// at negotiate; a viewer follows another user's SSH execution on real sshd nodes from snapshot to completion; an
/// unknown task is refused with the WebSocket's own error text.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class SignalRJavaScriptClientTests(SshNodes nodes) : SshNodesTest(nodes)
{
    [Fact]
    public async Task ViewerFollowsAnotherUsersSshExecution_FromSnapshotToComplete_AndIsRefusedWhereTheWebSocketRefuses()
    {
        // Started by the "user" account once the client is connected; watched by a viewer, as the WebSocket allows.
        var execute = JsonSerializer.Serialize(new
        {
            cluster_name = "test",
            target_nodes = new[] { "node1", "node2", "node3" },
            credential_id = 1,
            command = "sleep 2; echo done",
            max_concurrent = 1,
        });
        var viewerToken = await Host.TokenAsync(Role.Viewer);
        const string missing = "ssh-exec-1-missing";
        var webSocketRefusal = await WebSocketReplyAsync(viewerToken, missing);

        var result = await RunNodeAsync(viewerToken, await Host.TokenAsync(Role.User), execute, missing);

        Assert.False(result.TryGetProperty("failure", out var failure), failure.ToString());
        Assert.Contains("Status code '401'", result.GetProperty("unauthenticated").GetString(), StringComparison.Ordinal);
        Assert.Equal("WebSocketTransport", result.GetProperty("transport").GetString());

        Assert.Equal("error", webSocketRefusal.GetProperty("type").GetString());
        var hubRefusal = result.GetProperty("missingError").GetString();
        Assert.NotNull(hubRefusal);
        Assert.EndsWith(webSocketRefusal.GetProperty("message").GetString()!, hubRefusal, StringComparison.Ordinal);

        var taskId = result.GetProperty("taskId").GetString();
        var events = result.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("task_id").GetString() == taskId).ToList();
        Assert.Equal("snapshot", events[0].GetProperty("type").GetString());
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "progress" && e.GetProperty("current_node").GetString() == "node3");
        var complete = events[^1];
        Assert.Equal("complete", complete.GetProperty("type").GetString());
        Assert.Equal(100, complete.GetProperty("progress").GetInt32());
        Assert.Equal(3, complete.GetProperty("current").GetInt32());
        Assert.Equal("completed", complete.GetProperty("data").GetProperty("status").GetString());
        // The payload is the WebSocket's event JSON, field for field.
        foreach (var name in new[] { "task_id", "type", "progress", "message", "data", "current", "total", "current_node", "timestamp" })
        {
            Assert.True(complete.TryGetProperty(name, out _), $"missing {name}");
        }
    }

    private async Task<JsonElement> WebSocketReplyAsync(string token, string taskId)
    {
        using var socket = await ProgressClient.ConnectAsync(Host, token);
        await ProgressClient.SendAsync(socket, new { action = "subscribe", task_id = taskId });
        return await ProgressClient.ReceiveAsync(socket);
    }

    private async Task<JsonElement> RunNodeAsync(string token, string userToken, string execute, string missingTaskId)
    {
        var root = RepositoryFolder.Root();
        var module = Path.Combine(root, ".tools", "signalr-client", "node_modules", "@microsoft", "signalr");
        Assert.True(Directory.Exists(module), $"@microsoft/signalr is not installed in {module}; .ci/run installs it");
        var result = await BoundedProcess.RunAsync(
            new BoundedProcessStart("node", [Path.Combine(root, "tests", "js", "signalr-client.mjs")], TimeSpan.FromSeconds(150))
            {
                Environment = new Dictionary<string, string?>
                {
                    ["NODEOPS_BASE_URL"] = Host.BaseAddress.ToString().TrimEnd('/'),
                    ["NODEOPS_TOKEN"] = token,
                    ["NODEOPS_USER_TOKEN"] = userToken,
                    ["NODEOPS_EXECUTE"] = execute,
                    ["NODEOPS_MISSING_TASK_ID"] = missingTaskId,
                    ["SIGNALR_MODULE"] = module,
                },
                OutputLimitBytes = 4 * 1024 * 1024,
            },
            TimeProvider.System);

        Assert.True(!result.TimedOut && result.ExitCode == 0 && result.Stdout.Length > 0, $"node exited {result.ExitCode} (timed out: {result.TimedOut}): {result.Stderr}");
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }
}
