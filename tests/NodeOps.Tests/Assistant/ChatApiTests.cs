using System.Net;
using System.Text.Json;
using NodeOps.Assistant;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant;

/// <summary>Chat and stream end to end: fake provider, real kubectl, fake cluster.</summary>
public sealed class ChatApiTests : IAsyncLifetime
{
    private AssistantTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await AssistantTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Chat_ToolCallRunsRealKubectl_AnswerAndMetadataAreReal()
    {
        _bed.Llm.Enqueue(
            FakeLlmResponse.Kubectl("kubectl get nodes") with { PromptTokens = 200, CompletionTokens = 20 },
            FakeLlmResponse.Reply("集群有 2 个节点，都处于 Ready 状态。") with { PromptTokens = 300, CompletionTokens = 40 });
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", new { query = "列出所有节点", session_id = "chat-1", context = new { cluster = "main" } });

        response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("集群有 2 个节点，都处于 Ready 状态。", response.Json.GetProperty("response").GetString());
        Assert.Equal("chat-1", response.Json.GetProperty("session_id").GetString());
        Assert.Equal("completed", response.Json.GetProperty("status").GetString());
        var metadata = response.Json.GetProperty("metadata");
        Assert.Equal(["kubectl"], metadata.GetProperty("tools_used").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("fake-model", metadata.GetProperty("model_used").GetString());
        Assert.Equal(500, metadata.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(60, metadata.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(560, metadata.GetProperty("total_tokens").GetInt32());
        Assert.Matches(@"^\d+(\.\d+)?(ms|s)$", metadata.GetProperty("execution_time").GetString());
        // The model's second call carried the real kubectl output as the tool result.
        var second = _bed.Llm.ChatRequests[1];
        Assert.False(second.Stream);
        var toolMessage = second.Messages.Single(m => m!["role"]!.GetValue<string>() == "tool");
        Assert.Matches(@"node-1\s+Ready\s+control-plane", toolMessage!["content"]!.GetValue<string>());
        Assert.Equal("Bearer sk-test-secret-key-123", second.Authorization);
    }

    [Fact]
    public async Task Stream_SendsDeltasToolFramesAndFinalFrame()
    {
        _bed.Llm.Enqueue(
            new FakeLlmResponse { Text = "我先查看所有 Pod。", ToolCalls = [new FakeToolCall("kubectl", "{\"command\":\"kubectl get pods -A\"}")], ChunkSize = 3 },
            FakeLlmResponse.Reply("default 命名空间有 web-1，kube-system 有 coredns-1，全部 Running。") with { ChunkSize = 4 });
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var (response, frames) = await SseFrames.PostAsync(client, "/api/v1/chat/stream", new { query = "pods?", session_id = "stream-1", stream = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var deltas = frames.Where(f => f.Type() == "delta").ToList();
        Assert.True(deltas.Count >= 10, $"expected many deltas, got {deltas.Count}");
        Assert.All(deltas, d =>
        {
            Assert.Equal("stream-1", d.GetProperty("session_id").GetString());
            Assert.Equal("processing", d.GetProperty("status").GetString());
            Assert.False(d.GetProperty("done").GetBoolean());
        });
        var toolCall = frames.Single(f => f.Type() == "tool_call");
        Assert.Equal("kubectl get pods -A", toolCall.GetProperty("command").GetString());
        var toolResult = frames.Single(f => f.Type() == "tool_result");
        Assert.Equal(0, toolResult.GetProperty("exit_code").GetInt32());
        Assert.StartsWith("ok, 3 line(s)", toolResult.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.True(frames.IndexOf(toolCall) < frames.IndexOf(toolResult));
        var final = frames[^1];
        Assert.True(final.GetProperty("done").GetBoolean());
        Assert.Equal("completed", final.GetProperty("status").GetString());
        Assert.Equal(string.Concat(deltas.Select(d => d.GetProperty("delta").GetString())), final.GetProperty("response").GetString());
        Assert.Contains("coredns-1", final.GetProperty("response").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, final.GetProperty("metadata").GetProperty("iterations").GetInt32());
        Assert.All(_bed.Llm.ChatRequests, r => Assert.True(r.Stream));
    }

    [Fact]
    public async Task Stream_ClientDisconnects_CancelsTheProviderCallAndFreesTheSession()
    {
        _bed.Llm.Enqueue(new FakeLlmResponse { Text = "thinking", Hang = true });
        using var client = await _bed.Host.ClientAsync(Role.Viewer);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/stream")
        {
            Content = JsonContent("{\"query\":\"slow\",\"session_id\":\"gone-1\"}"),
        };

        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var first = await reader.ReadLineAsync();
            Assert.StartsWith("data: ", first, StringComparison.Ordinal);
        }

        await Eventually(() => _bed.Llm.ChatRequests.Single().Aborted, "the provider call was not cancelled");
        _bed.Llm.Enqueue(FakeLlmResponse.Reply("back"));
        await EventuallyAsync(async () =>
        {
            var again = await client.PostJsonAsync("/api/v1/chat", new { query = "again", session_id = "gone-1" });
            return again.Status == HttpStatusCode.OK;
        }, "the session stayed busy after the client left");
    }

    [Fact]
    public async Task ReadOnlyMode_WriteCommandIsRefused_AndTheModelIsToldWhy()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl cordon node-2"), FakeLlmResponse.Reply("只读模式下无法封锁节点。"));
        using var client = await _bed.Host.ClientAsync(Role.Admin);

        var (_, frames) = await SseFrames.PostAsync(client, "/api/v1/chat/stream", new { query = "cordon node-2", session_id = "ro-1" });

        var refused = frames.Single(f => f.Type() == "tool_refused");
        Assert.Equal("kubectl cordon node-2", refused.GetProperty("command").GetString());
        Assert.Contains("只读", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(frames, f => f.Type() == "tool_call");
        Assert.Null(_bed.Kube.State.GetNode("node-2")!["spec"]!["unschedulable"]);
        var toolMessage = _bed.Llm.ChatRequests[1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool");
        Assert.StartsWith("REFUSED", toolMessage!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(_bed.Kube.Requests, r => r.Method == "PATCH");
    }

    [Theory]
    [InlineData("kubectl get pods | xargs kubectl delete pod", "不支持 '|'")]
    [InlineData("kubectl exec -it web-1 -- sh", "交互式")]
    [InlineData("kubectl logs -f web-1", "一直运行")]
    [InlineData("kubectl get pods -w", "一直运行")]
    [InlineData("kubectl edit node node-1", "交互式")]
    [InlineData("kubectl port-forward web-1 8080:80", "一直运行")]
    [InlineData("kubectl get nodes --kubeconfig /etc/kubernetes/admin.conf", "凭据")]
    [InlineData("kubectl config view --raw", "凭据")]
    public async Task Stream_InteractiveEndlessOrShellForms_AreRefusedWithoutRunning(string command, string reason)
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl(command), FakeLlmResponse.Reply("无法执行。"));
        using var client = await _bed.Host.ClientAsync(Role.Viewer);
        var before = _bed.Kube.Requests.Count;

        var (_, frames) = await SseFrames.PostAsync(client, "/api/v1/chat/stream", new { query = "run it", session_id = "refuse-" + Guid.NewGuid().ToString("N")[..8] });

        var refused = frames.Single(f => f.Type() == "tool_refused");
        Assert.Contains(reason, refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, _bed.Kube.Requests.Count);
        Assert.True(frames[^1].GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task Chat_NamespaceFromContext_IsPassedToKubectl()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl get pods"), FakeLlmResponse.Reply("done"));
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var (_, frames) = await SseFrames.PostAsync(client, "/api/v1/chat/stream", new { query = "pods", session_id = "ns-1", context = new { @namespace = "kube-system" } });

        Assert.Equal("kubectl get pods --namespace kube-system", frames.Single(f => f.Type() == "tool_call").GetProperty("command").GetString());
        Assert.Contains(_bed.Kube.Requests, r => r.PathAndQuery.StartsWith("/api/v1/namespaces/kube-system/pods", StringComparison.Ordinal));
        var toolMessage = _bed.Llm.ChatRequests[1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.Contains("coredns-1", toolMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("web-1", toolMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_SameCallRepeated_IsStoppedByTheRepeatGuard()
    {
        _bed.Llm.Enqueue(
            FakeLlmResponse.Kubectl("kubectl get nodes"),
            FakeLlmResponse.Kubectl("kubectl get nodes"),
            FakeLlmResponse.Kubectl("kubectl get nodes"),
            FakeLlmResponse.Reply("ok"));
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var (_, frames) = await SseFrames.PostAsync(client, "/api/v1/chat/stream", new { query = "nodes", session_id = "loop-1" });

        Assert.Equal(2, frames.Count(f => f.Type() == "tool_call"));
        Assert.Contains("不再重复", frames.Single(f => f.Type() == "tool_refused").GetProperty("reason").GetString(), StringComparison.Ordinal);
        var audit = await _bed.Host.GetRequiredService<CommandAuditLog>().ListRecentAsync(100);
        Assert.Equal(2, audit.Count(c => c.SessionId == "loop-1"));
    }

    [Fact]
    public async Task Chat_ReadCommands_AreRecordedWithWhoAskedAndNoApprover()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl describe node node-2"), FakeLlmResponse.Reply("node-2 正常"));
        using var client = await _bed.Host.ClientAsync(Role.User);

        (await client.PostJsonAsync("/api/v1/chat", new { query = "describe node-2", session_id = "audit-1" })).AssertStatus(HttpStatusCode.OK);

        var recorded = (await _bed.Host.GetRequiredService<CommandAuditLog>().ListRecentAsync(100)).Single(c => c.SessionId == "audit-1");
        Assert.Equal("kubectl describe node node-2", recorded.Command);
        Assert.Equal("test-user", recorded.RequestedBy);
        Assert.Null(recorded.ApprovedBy);
        Assert.Equal(CommandSafety.Read, recorded.Safety);
        Assert.Equal(0, recorded.ExitCode);
        var toolMessage = _bed.Llm.ChatRequests[1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.Contains("Non-terminated Pods:", toolMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_MaxIterations_StopsTheLoop()
    {
        await using var bed = await AssistantTestBed.StartAsync(new Dictionary<string, string?> { ["Assistant:MaxIterations"] = "2" });
        bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl get nodes"), FakeLlmResponse.Kubectl("kubectl get pods -A"));
        using var client = await bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", new { query = "loop", session_id = "max-1" });

        response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("max_iterations", response.Json.GetProperty("metadata").GetProperty("stopped_reason").GetString());
        Assert.Equal(2, bed.Llm.ChatRequests.Count);
        Assert.Equal(0, bed.Llm.Pending);
    }

    internal static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    internal static async Task Eventually(Func<bool> condition, string message)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, message);
            await Task.Delay(50);
        }
    }

    internal static async Task EventuallyAsync(Func<Task<bool>> condition, string message)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, message);
            await Task.Delay(100);
        }
    }
}
