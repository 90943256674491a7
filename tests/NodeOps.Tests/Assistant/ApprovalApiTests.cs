using System.Net;
using NodeOps.Assistant;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant;

/// <summary>With writes allowed, a write pauses for approval; approve runs exactly the shown command, deny does not.</summary>
public sealed class ApprovalApiTests : IAsyncLifetime
{
    private AssistantTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await AssistantTestBed.StartAsync(new Dictionary<string, string?> { ["Assistant:AllowWrites"] = "true" });

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Approve_RunsTheExactCommand_ResumesTheModel_AndRecordsTheApprover()
    {
        _bed.Llm.Enqueue(
            new FakeLlmResponse { Text = "需要封锁 node-2。", ToolCalls = [new FakeToolCall("kubectl", "{\"command\":\"kubectl cordon node-2\"}", "call_cordon")] },
            FakeLlmResponse.Reply("node-2 已封锁。"));
        using var client = await _bed.Host.ClientAsync(Role.User);

        var (_, frames) = await SseFrames.PostAsync(client, "/api/v1/chat/stream", new { query = "封锁 node-2", session_id = "approve-1" });

        var approval = frames.Single(f => f.Type() == "approval_required");
        var actionId = approval.GetProperty("action_id").GetString()!;
        Assert.Equal("kubectl cordon node-2", approval.GetProperty("command").GetString());
        Assert.Equal("approve-1", approval.GetProperty("session_id").GetString());
        Assert.Equal("approval_required", frames[^1].GetProperty("status").GetString());
        Assert.True(frames[^1].GetProperty("done").GetBoolean());
        Assert.Equal(actionId, frames[^1].GetProperty("pending_action").GetProperty("action_id").GetString());
        Assert.Null(_bed.Kube.State.GetNode("node-2")!["spec"]!["unschedulable"]);
        var listed = await client.GetApiAsync("/api/v1/chat/sessions");
        Assert.Equal(actionId, listed.Json.GetProperty("sessions")[0].GetProperty("pending_action").GetProperty("action_id").GetString());

        var approved = await client.PostJsonAsync("/api/v1/chat/approve", new { session_id = "approve-1", action_id = actionId, decision = "approve" });

        approved.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("completed", approved.Json.GetProperty("status").GetString());
        Assert.EndsWith("node-2 已封锁。", approved.Json.GetProperty("response").GetString(), StringComparison.Ordinal);
        Assert.True(_bed.Kube.State.GetNode("node-2")!["spec"]!["unschedulable"]!.GetValue<bool>());
        var toolMessage = _bed.Llm.ChatRequests[1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool");
        Assert.Equal("call_cordon", toolMessage!["tool_call_id"]!.GetValue<string>());
        Assert.Contains("node/node-2 cordoned", toolMessage["content"]!.GetValue<string>(), StringComparison.Ordinal);
        var recorded = (await _bed.Host.GetRequiredService<CommandAuditLog>().ListRecentAsync(50)).Single(c => c.SessionId == "approve-1");
        Assert.Equal("kubectl cordon node-2", recorded.Command);
        Assert.Equal("test-user", recorded.ApprovedBy);
        Assert.Equal(actionId, recorded.ActionId);
        Assert.Equal(CommandSafety.Write, recorded.Safety);

        var again = await client.PostJsonAsync("/api/v1/chat/approve", new { session_id = "approve-1", action_id = actionId, decision = "approve" });
        AssistantErrors.Assert(again, HttpStatusCode.Conflict, "NO_PENDING_ACTION");
    }

    [Fact]
    public async Task Deny_DoesNotRun_AndTheModelIsToldItWasDenied()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl delete pod web-1 --namespace default"), FakeLlmResponse.Reply("好的，未删除。"));
        using var client = await _bed.Host.ClientAsync(Role.User);
        var paused = await client.PostJsonAsync("/api/v1/chat", new { query = "删除 web-1", session_id = "deny-1" });
        paused.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("approval_required", paused.Json.GetProperty("status").GetString());
        var actionId = paused.Json.GetProperty("pending_action").GetProperty("action_id").GetString();
        Assert.Equal("kubectl delete pod web-1 --namespace default", paused.Json.GetProperty("pending_action").GetProperty("command").GetString());

        var (_, frames) = await SseFrames.PostAsync(client, "/api/v1/chat/approve", new { session_id = "deny-1", action_id = actionId, decision = "deny" });

        Assert.Contains("拒绝", frames.Single(f => f.Type() == "tool_refused").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("completed", frames[^1].GetProperty("status").GetString());
        Assert.NotNull(_bed.Kube.State.GetPod("default", "web-1"));
        Assert.DoesNotContain(_bed.Kube.Requests, r => r.Method == "DELETE");
        var toolMessage = _bed.Llm.ChatRequests[1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.Contains("denied", toolMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(await _bed.Host.GetRequiredService<CommandAuditLog>().ListRecentAsync(50), c => c.SessionId == "deny-1");
    }

    [Fact]
    public async Task Approve_ByViewer_Is403_AndViewersWritesAreRefusedAsReadOnly()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl cordon node-1"), FakeLlmResponse.Reply("不能执行。"));
        using var viewer = await _bed.Host.ClientAsync(Role.Viewer);

        var (_, frames) = await SseFrames.PostAsync(viewer, "/api/v1/chat/stream", new { query = "cordon", session_id = "viewer-1" });
        var approve = await viewer.PostJsonAsync("/api/v1/chat/approve", new { session_id = "viewer-1", action_id = "act_x", decision = "approve" });

        Assert.Contains("viewer", frames.Single(f => f.Type() == "tool_refused").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(frames, f => f.Type() == "approval_required");
        AssistantErrors.Assert(approve, HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task Approve_WrongActionOrBadDecision_AreClearErrors()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl uncordon node-1"));
        using var client = await _bed.Host.ClientAsync(Role.User);
        var paused = await client.PostJsonAsync("/api/v1/chat", new { query = "uncordon", session_id = "wrong-1" });
        Assert.Equal("approval_required", paused.Json.GetProperty("status").GetString());

        var wrongAction = await client.PostJsonAsync("/api/v1/chat/approve", new { session_id = "wrong-1", action_id = "act_nope", decision = "approve" });
        var badDecision = await client.PostJsonAsync("/api/v1/chat/approve", new { session_id = "wrong-1", action_id = "act_nope", decision = "maybe" });
        var noSession = await client.PostJsonAsync("/api/v1/chat/approve", new { session_id = "never-was", action_id = "act_nope", decision = "deny" });

        AssistantErrors.Assert(wrongAction, HttpStatusCode.NotFound, "ACTION_NOT_FOUND", "action_id");
        AssistantErrors.Assert(badDecision, HttpStatusCode.BadRequest, "INVALID_REQUEST", "decision");
        AssistantErrors.Assert(noSession, HttpStatusCode.NotFound, "SESSION_NOT_FOUND", "session_id");
    }

    [Fact]
    public async Task PendingApproval_SurvivesARestart_AndIsApprovedOnTheNewInstance()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl label node node-1 team=ops"));
        using (var client = await _bed.Host.ClientAsync(Role.User))
        {
            var paused = await client.PostJsonAsync("/api/v1/chat", new { query = "label node-1", session_id = "restart-approve" });
            Assert.Equal("approval_required", paused.Json.GetProperty("status").GetString());
        }

        await _bed.RestartAsync();
        _bed.Llm.Enqueue(FakeLlmResponse.Reply("已添加标签。"));
        using var again = await _bed.LoginClientAsync("test-user", "password-test-user");
        var sessions = await again.GetApiAsync("/api/v1/chat/sessions");
        var actionId = sessions.Json.GetProperty("sessions")[0].GetProperty("pending_action").GetProperty("action_id").GetString();

        var approved = await again.PostJsonAsync("/api/v1/chat/approve", new { session_id = "restart-approve", action_id = actionId, decision = "approve" });

        approved.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("ops", _bed.Kube.State.GetNode("node-1")!["metadata"]!["labels"]!["team"]!.GetValue<string>());
    }
}
