using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant;

/// <summary>Tool timeout and output cap, and the bash tool: off by default, always a write when on.</summary>
public sealed class ToolLimitsTests
{
    [Fact]
    public async Task Kubectl_OutputOverTheCap_IsCutAndFlagged()
    {
        await using var bed = await AssistantTestBed.StartAsync(new Dictionary<string, string?> { ["Assistant:Tools:OutputLimitBytes"] = "1024" });
        bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl get pods -A -o json"), FakeLlmResponse.Reply("done"));
        using var client = await bed.Host.ClientAsync(Role.Viewer);

        var (_, frames) = await SseFrames.PostAsync(client, "/api/v1/chat/stream", new { query = "json", session_id = "cap-1" });

        Assert.True(frames.Single(f => f.Type() == "tool_result").GetProperty("truncated").GetBoolean());
        var toolMessage = bed.Llm.ChatRequests[1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.EndsWith("[output truncated]", toolMessage, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(toolMessage) < 1200, $"{toolMessage.Length} chars reached the model");
    }

    [Fact]
    public async Task Kubectl_OverTheTimeout_IsKilledAndTheModelIsTold()
    {
        await using var bed = await AssistantTestBed.StartAsync(new Dictionary<string, string?> { ["Assistant:Tools:KubectlTimeout"] = "00:00:00.001" });
        bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl get nodes"), FakeLlmResponse.Reply("timed out"));
        using var client = await bed.Host.ClientAsync(Role.Viewer);

        var (_, frames) = await SseFrames.PostAsync(client, "/api/v1/chat/stream", new { query = "nodes", session_id = "timeout-1" });

        var result = frames.Single(f => f.Type() == "tool_result");
        Assert.True(result.GetProperty("timed_out").GetBoolean());
        Assert.StartsWith("timed out", result.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var toolMessage = bed.Llm.ChatRequests[1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.StartsWith("[timed out", toolMessage, StringComparison.Ordinal);
        Assert.Equal("completed", frames[^1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Bash_IsNotOfferedByDefault()
    {
        await using var bed = await AssistantTestBed.StartAsync();
        bed.Llm.Enqueue(FakeLlmResponse.Call("bash", new { command = "id" }), FakeLlmResponse.Reply("no bash"));
        using var client = await bed.Host.ClientAsync(Role.Admin);

        var (_, frames) = await SseFrames.PostAsync(client, "/api/v1/chat/stream", new { query = "id", session_id = "bash-off" });

        Assert.Contains("没有名为 bash 的工具", frames.Single(f => f.Type() == "tool_refused").GetProperty("reason").GetString(), StringComparison.Ordinal);
        var tools = bed.Llm.ChatRequests[0].Body["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>());
        Assert.Equal(["kubectl"], tools);
    }

    [Fact]
    public async Task Bash_WhenEnabled_IsAlwaysAWrite_RefusedReadOnly_AndRunsOnlyAfterApproval()
    {
        await using var readOnly = await AssistantTestBed.StartAsync(new Dictionary<string, string?> { ["Assistant:Tools:BashEnabled"] = "true" });
        readOnly.Llm.Enqueue(FakeLlmResponse.Call("bash", new { command = "echo harmless" }), FakeLlmResponse.Reply("refused"));
        using (var client = await readOnly.Host.ClientAsync(Role.Admin))
        {
            var (_, frames) = await SseFrames.PostAsync(client, "/api/v1/chat/stream", new { query = "echo", session_id = "bash-ro" });
            Assert.Contains("只读", frames.Single(f => f.Type() == "tool_refused").GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        await using var writable = await AssistantTestBed.StartAsync(new Dictionary<string, string?> { ["Assistant:Tools:BashEnabled"] = "true", ["Assistant:AllowWrites"] = "true" });
        writable.Llm.Enqueue(FakeLlmResponse.Call("bash", new { command = "echo hello-from-bash; kubectl get nodes -o name" }), FakeLlmResponse.Reply("ran"));
        using var user = await writable.Host.ClientAsync(Role.User);
        var paused = await user.PostJsonAsync("/api/v1/chat", new { query = "run", session_id = "bash-rw" });
        Assert.Equal("approval_required", paused.Json.GetProperty("status").GetString());

        var approved = await user.PostJsonAsync("/api/v1/chat/approve", new { session_id = "bash-rw", action_id = paused.Json.GetProperty("pending_action").GetProperty("action_id").GetString(), decision = "approve" });

        approved.AssertStatus(HttpStatusCode.OK);
        var toolMessage = writable.Llm.ChatRequests[1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.Contains("hello-from-bash", toolMessage, StringComparison.Ordinal);
        Assert.Contains("node/node-1", toolMessage, StringComparison.Ordinal);
    }
}
