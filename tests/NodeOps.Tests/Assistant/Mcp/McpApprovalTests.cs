using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant.Mcp;

/// <summary>With writes allowed, an MCP write pauses for approval and runs after it; a stdio server that dies mid-call is reported and reconnected.</summary>
public sealed class McpApprovalTests : IAsyncLifetime
{
    private McpClientBed _mcp = null!;

    public async Task InitializeAsync() => _mcp = await McpClientBed.StartAsync(allowWrites: true);

    public async Task DisposeAsync() => await _mcp.DisposeAsync();

    [Fact]
    public async Task WriteTool_PausesForApproval_ThenRunsExactlyTheShownArguments()
    {
        _mcp.Bed.Llm.Enqueue(FakeLlmResponse.Call("remote_write_note", new { note = "hello; rm -rf /" }, "call_note"), FakeLlmResponse.Reply("written"));
        using var user = await _mcp.Bed.Host.ClientAsync(Role.User);

        var (_, frames) = await SseFrames.PostAsync(user, "/api/v1/chat/stream", new { query = "note", session_id = "mcp-approve" });
        var approval = frames.Single(f => f.Type() == "approval_required");
        Assert.Equal("remote.write_note {\"note\":\"hello; rm -rf /\"}", approval.GetProperty("command").GetString());
        Assert.Empty(_mcp.Remote.Written);

        var approved = await user.PostJsonAsync("/api/v1/chat/approve", new { session_id = "mcp-approve", action_id = approval.GetProperty("action_id").GetString(), decision = "approve" });

        approved.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("completed", approved.Json.GetProperty("status").GetString());
        Assert.Equal(["hello; rm -rf /"], _mcp.Remote.Written);
        var tool = _mcp.Bed.Llm.ChatRequests[^1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!;
        Assert.Equal("written: hello; rm -rf /", tool["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task StdioServer_RunsInTheSandbox_AsTheSandboxUser_WithoutTheServersEnvironment()
    {
        _mcp.Bed.Llm.Enqueue(FakeLlmResponse.Call("local_echo", new { text = "who" }), FakeLlmResponse.Reply("ok"));
        using var user = await _mcp.Bed.Host.ClientAsync(Role.User);
        var paused = await user.PostJsonAsync("/api/v1/chat", new { query = "who", session_id = "mcp-sandbox" });
        Assert.Equal("approval_required", paused.Json.GetProperty("status").GetString());

        var approved = await user.PostJsonAsync("/api/v1/chat/approve", new { session_id = "mcp-sandbox", action_id = paused.Json.GetProperty("pending_action").GetProperty("action_id").GetString(), decision = "approve" });

        approved.AssertStatus(HttpStatusCode.OK);
        var text = _mcp.Bed.Llm.ChatRequests[^1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.StartsWith("stdio echo: who", text, StringComparison.Ordinal);
        Assert.Contains("home /tmp/nodeops-mcp-", text, StringComparison.Ordinal);
        Assert.Contains("secret none", text, StringComparison.Ordinal);
        if (Environment.UserName == "root")
        {
            Assert.Contains("(uid 65534,", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StdioServerDiesMidCall_TheModelIsTold_TheTurnCompletes_AndTheServerComesBack()
    {
        _mcp.Bed.Llm.Enqueue(FakeLlmResponse.Call("local_exit", new { }), FakeLlmResponse.Reply("the local server crashed"));
        using var user = await _mcp.Bed.Host.ClientAsync(Role.User);
        var paused = await user.PostJsonAsync("/api/v1/chat", new { query = "exit", session_id = "mcp-crash" });

        var (_, frames) = await SseFrames.PostAsync(user, "/api/v1/chat/approve", new { session_id = "mcp-crash", action_id = paused.Json.GetProperty("pending_action").GetProperty("action_id").GetString(), decision = "approve" });

        Assert.Equal("completed", frames[^1].GetProperty("status").GetString());
        Assert.Contains("the local server crashed", frames[^1].GetProperty("response").GetString(), StringComparison.Ordinal);
        var result = frames.Single(f => f.Type() == "tool_result");
        Assert.Equal(-1, result.GetProperty("exit_code").GetInt32());
        var tool = _mcp.Bed.Llm.ChatRequests[^1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.True(tool.Contains("MCP 服务器 local 不可用", StringComparison.Ordinal), tool);
        // The connection is rebuilt with backoff: a new process, the same tools.
        var mcp = await _mcp.WaitForServersAsync(("local", "connected"), ("remote", "connected"));
        Assert.Equal(2, mcp.GetProperty("servers").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "local").GetProperty("tools").GetInt32());
    }
}
