using System.Net;
using System.Text.Json;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant.Mcp;

/// <summary>
/// The assistant's MCP client in read-only mode against a stdio server (in the sandbox) and a streamable-HTTP one:
/// discovery, a trusted read in a streamed chat, an untrusted hint refused as a write, a server going down, and the
/// /health and /status fields.
/// </summary>
public sealed class McpClientTests : IAsyncLifetime
{
    private McpClientBed _mcp = null!;

    public async Task InitializeAsync() => _mcp = await McpClientBed.StartAsync();

    public async Task DisposeAsync() => await _mcp.DisposeAsync();

    [Fact]
    public async Task Start_DiscoversBothServersTools_OffersThemNamespaced_AndHealthAndStatusMeasureThem()
    {
        using var viewer = await _mcp.Bed.Host.ClientAsync(Role.Viewer);
        var status = await viewer.GetApiAsync("/api/v1/status");
        var health = await _mcp.Bed.Host.Anonymous.GetApiAsync("/api/v1/health");

        var mcp = status.Json.GetProperty("components").GetProperty("mcp_client");
        Assert.Equal("enabled", mcp.GetProperty("status").GetString());
        var servers = mcp.GetProperty("servers").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(2, servers["local"].GetProperty("tools").GetInt32());
        Assert.Equal(3, servers["remote"].GetProperty("tools").GetInt32());
        Assert.All(servers.Values, s => Assert.True(s.GetProperty("last_ping").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-2)));
        var tools = status.Json.GetProperty("components").GetProperty("tools");
        Assert.Equal(5, tools.GetProperty("mcp_tools").GetInt32());
        Assert.Equal(0, tools.GetProperty("custom_tools").GetInt32());
        var available = tools.GetProperty("available").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Equal(["kubectl", "local.echo", "local.exit", "remote.big", "remote.echo", "remote.write_note"], available);
        health.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("healthy", health.Json.GetProperty("status").GetString());
        var component = health.Json.GetProperty("components").GetProperty("mcp_client");
        Assert.Equal("enabled", component.GetProperty("status").GetString());
        Assert.Equal(2, component.GetProperty("servers_connected").GetInt32());
        Assert.Equal(5, component.GetProperty("tools_available").GetInt32());
        Assert.True(component.GetProperty("last_check").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-2));
        Assert.DoesNotContain(HttpMcpTestServer.Token, status.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(HttpMcpTestServer.Token, health.Body, StringComparison.Ordinal);

        _mcp.Bed.Llm.Enqueue(FakeLlmResponse.Reply("ok"));
        (await viewer.PostJsonAsync("/api/v1/chat", new { query = "tools?", session_id = "mcp-discover" })).AssertStatus(HttpStatusCode.OK);
        // On the wire "server.tool" is "server_tool": OpenAI-compatible APIs refuse dots in function names.
        var offered = OfferedTools(_mcp.Bed.Llm.ChatRequests[^1]);
        Assert.Contains("remote_write_note", offered);
        Assert.Contains("local_echo", offered);
        var echo = _mcp.Bed.Llm.ChatRequests[^1].Body["tools"]!.AsArray().Single(t => t!["function"]!["name"]!.GetValue<string>() == "local_echo")!;
        Assert.Equal("string", echo["function"]!["parameters"]!["properties"]!["text"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task TrustedReadTool_RunsInAStreamedChat_AndTheModelGetsItsCappedResult()
    {
        _mcp.Bed.Llm.Enqueue(
            FakeLlmResponse.Call("remote_echo", new { text = "hello mcp" }, "call_echo"),
            FakeLlmResponse.Call("remote_big", new { bytes = 100_000 }, "call_big"),
            FakeLlmResponse.Reply("done"));
        using var viewer = await _mcp.Bed.Host.ClientAsync(Role.Viewer);

        var (_, frames) = await SseFrames.PostAsync(viewer, "/api/v1/chat/stream", new { query = "echo", session_id = "mcp-read" });

        var results = frames.Where(f => f.Type() == "tool_result").ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal("remote.echo {\"text\":\"hello mcp\"}", frames.First(f => f.Type() == "tool_call").GetProperty("command").GetString());
        Assert.Equal(0, results[0].GetProperty("exit_code").GetInt32());
        Assert.DoesNotContain(frames, f => f.Type() == "tool_refused");
        Assert.Equal("completed", frames[^1].GetProperty("status").GetString());
        var toolMessages = _mcp.Bed.Llm.ChatRequests[^1].Messages.Where(m => m!["role"]!.GetValue<string>() == "tool").Select(m => m!["content"]!.GetValue<string>()).ToList();
        Assert.Equal("echo: hello mcp", toolMessages[0]);
        // Capped like other tool output (Assistant:Tools:OutputLimitBytes, 32 KiB by default), and flagged.
        Assert.InRange(toolMessages[1].Length, 32 * 1024, 33 * 1024);
        Assert.EndsWith("[output truncated]", toolMessages[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadOnlyHint_OfAnUntrustedServer_IsAWrite_RefusedInReadOnlyMode()
    {
        _mcp.Bed.Llm.Enqueue(FakeLlmResponse.Call("local_echo", new { text = "x" }), FakeLlmResponse.Call("remote_write_note", new { note = "n" }), FakeLlmResponse.Reply("refused"));
        using var user = await _mcp.Bed.Host.ClientAsync(Role.User);

        var (_, frames) = await SseFrames.PostAsync(user, "/api/v1/chat/stream", new { query = "write", session_id = "mcp-ro" });

        var refused = frames.Where(f => f.Type() == "tool_refused").ToList();
        Assert.Equal(2, refused.Count);
        Assert.All(refused, r => Assert.Contains("只读", r.GetProperty("reason").GetString(), StringComparison.Ordinal));
        Assert.DoesNotContain(frames, f => f.Type() == "tool_result");
        Assert.Empty(_mcp.Remote.Written);
        Assert.Equal("completed", frames[^1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task HttpServerGoesDown_ItsToolsAreWithdrawn_TheModelIsTold_AndHealthIsDegraded()
    {
        await _mcp.Remote.DisposeAsync();
        var mcp = await _mcp.WaitForServersAsync(("remote", "disconnected"), ("local", "connected"));
        _mcp.Bed.Llm.Enqueue(FakeLlmResponse.Call("remote_echo", new { text = "x" }), FakeLlmResponse.Reply("remote is down"));
        using var viewer = await _mcp.Bed.Host.ClientAsync(Role.Viewer);

        var (_, frames) = await SseFrames.PostAsync(viewer, "/api/v1/chat/stream", new { query = "echo", session_id = "mcp-down" });
        var health = await _mcp.Bed.Host.Anonymous.GetApiAsync("/api/v1/health");

        Assert.Equal("degraded", mcp.GetProperty("status").GetString());
        var remote = mcp.GetProperty("servers").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "remote");
        Assert.Equal(0, remote.GetProperty("tools").GetInt32());
        Assert.False(string.IsNullOrEmpty(remote.GetProperty("error").GetString()));
        Assert.Equal("completed", frames[^1].GetProperty("status").GetString());
        Assert.Contains("没有名为 remote_echo 的工具", frames.Single(f => f.Type() == "tool_refused").GetProperty("reason").GetString(), StringComparison.Ordinal);
        var request = _mcp.Bed.Llm.ChatRequests[0];
        Assert.DoesNotContain("remote_echo", OfferedTools(request));
        Assert.Contains("local_echo", OfferedTools(request));
        var system = request.Messages[0]!["content"]!.GetValue<string>();
        Assert.Contains("MCP server 'remote' is unavailable", system, StringComparison.Ordinal);
        Assert.Contains("remote.write_note", system, StringComparison.Ordinal);
        Assert.Equal("degraded", health.Json.GetProperty("status").GetString());
        var component = health.Json.GetProperty("components").GetProperty("mcp_client");
        Assert.Equal("degraded", component.GetProperty("status").GetString());
        Assert.Equal(1, component.GetProperty("servers_connected").GetInt32());
        Assert.Equal(2, component.GetProperty("tools_available").GetInt32());
    }

    [Fact]
    public async Task NotConfigured_IsNotConfigured_AndDoesNotDegradeHealth()
    {
        await using var plain = await AssistantTestBed.StartAsync();
        using var viewer = await plain.Host.ClientAsync(Role.Viewer);

        var health = await plain.Host.Anonymous.GetApiAsync("/api/v1/health");
        var status = await viewer.GetApiAsync("/api/v1/status");

        Assert.Equal("healthy", health.Json.GetProperty("status").GetString());
        var component = health.Json.GetProperty("components").GetProperty("mcp_client");
        Assert.Equal("not_configured", component.GetProperty("status").GetString());
        Assert.Equal(0, component.GetProperty("servers_connected").GetInt32());
        Assert.Equal(0, component.GetProperty("tools_available").GetInt32());
        Assert.Equal("not_configured", status.Json.GetProperty("components").GetProperty("mcp_client").GetProperty("status").GetString());
        Assert.Empty(status.Json.GetProperty("components").GetProperty("mcp_client").GetProperty("servers").EnumerateArray());
        Assert.Equal(0, status.Json.GetProperty("components").GetProperty("tools").GetProperty("mcp_tools").GetInt32());
    }

    internal static List<string> OfferedTools(FakeLlmRequest request) =>
        request.Body["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).ToList();
}
