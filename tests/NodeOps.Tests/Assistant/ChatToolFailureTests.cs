using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant;

/// <summary>
/// Item 10 of issue 16: a kubeconfig the API server rejects does not abort the turn; the model gets kubectl's
/// failure as the tool's result and explains it, on /chat and /chat/stream.
/// </summary>
public sealed class ChatToolFailureTests : IAsyncLifetime
{
    private FakeKubeApiServer _locked = null!;
    private AssistantTestBed _bed = null!;

    public async Task InitializeAsync()
    {
        _locked = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { BearerToken = "the-right-token" });
        AssistantTestBed.Seed(_locked.State);
        _bed = await AssistantTestBed.StartAsync(kubeconfigs: new Dictionary<string, string> { ["locked"] = _locked.Kubeconfig(token: "a-stale-token") });
    }

    public async Task DisposeAsync()
    {
        await _bed.DisposeAsync();
        await _locked.DisposeAsync();
    }

    [Fact]
    public async Task Chat_KubeconfigRejected_ModelGetsTheFailure_AndTheTurnCompletes()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl get nodes"), FakeLlmResponse.Reply("集群拒绝了 NodeOps 的凭据。"));
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", new { query = "nodes", session_id = "locked-1", context = new { cluster = "locked" } });

        response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("completed", response.Json.GetProperty("status").GetString());
        Assert.Equal("集群拒绝了 NodeOps 的凭据。", response.Json.GetProperty("response").GetString());
        var toolMessage = _bed.Llm.ChatRequests[1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.Contains("KUBECTL_ERROR", toolMessage, StringComparison.Ordinal);
        Assert.Contains("You must be logged in to the server", toolMessage, StringComparison.Ordinal);
        Assert.Contains(_locked.Requests, r => r.Status == 401);
    }

    [Fact]
    public async Task Stream_KubeconfigRejected_ToolResultFrameThenTheAnswer_NoErrorFrame()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl get pods -A"), FakeLlmResponse.Reply("凭据已失效，请更新 kubeconfig。"));
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var (response, frames) = await SseFrames.PostAsync(client, "/api/v1/chat/stream", new { query = "pods", session_id = "locked-2", context = new { cluster = "locked" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = frames.Single(f => f.Type() == "tool_result");
        Assert.NotEqual(0, result.GetProperty("exit_code").GetInt32());
        Assert.DoesNotContain(frames, f => f.Type() == "error");
        var done = frames[^1];
        Assert.Equal("done", done.Type());
        Assert.Equal("凭据已失效，请更新 kubeconfig。", done.GetProperty("response").GetString());
        Assert.Equal(2, _bed.Llm.ChatRequests.Count);
    }

    [Fact]
    public async Task KnownCluster_IsAccepted_AndTheToolRunsAgainstIt()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl get nodes"), FakeLlmResponse.Reply("两个节点。"));
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", new { query = "nodes", session_id = "main-1", context = new { cluster = "main" } });

        response.AssertStatus(HttpStatusCode.OK);
        var toolMessage = _bed.Llm.ChatRequests[1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.Contains("node-2", toolMessage, StringComparison.Ordinal);
    }
}
