using System.Text.Json;
using NodeOps.Auth;
using NodeOps.Processes;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant;

/// <summary>The spec's JavaScript clients (fetch and SSE parsing), run by Node against NodeOps, get deltas and a final frame.</summary>
public sealed class JavaScriptClientTests : IAsyncLifetime
{
    private AssistantTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await AssistantTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task SpecJavaScriptClients_ChatAndStream_GetDeltasAndFinalFrame()
    {
        _bed.Llm.Enqueue(
            FakeLlmResponse.Kubectl("kubectl get nodes"),
            FakeLlmResponse.Reply("集群有 node-1 和 node-2 两个节点。"),
            FakeLlmResponse.Kubectl("kubectl get pods -A"),
            FakeLlmResponse.Reply("共有 2 个 Pod：web-1 与 coredns-1，均在运行。") with { ChunkSize = 2 },
            FakeLlmResponse.Reply("再说一遍：web-1 与 coredns-1 都在运行。") with { ChunkSize = 3 });
        var token = await _bed.Host.TokenAsync(Role.Viewer);

        var result = await RunNodeAsync(token);

        Assert.False(result.TryGetProperty("failure", out var failure), failure.ToString());
        Assert.True(result.GetProperty("ready").GetBoolean());
        Assert.Equal("healthy", result.GetProperty("health").GetProperty("status").GetString());
        var chat = result.GetProperty("chat");
        Assert.Equal("集群有 node-1 和 node-2 两个节点。", chat.GetProperty("response").GetString());
        Assert.Equal("completed", chat.GetProperty("status").GetString());
        Assert.Equal("kubectl", chat.GetProperty("metadata").GetProperty("tools_used")[0].GetString());

        var sdkDeltas = result.GetProperty("sdkDeltas").EnumerateArray().Select(d => d.GetString()).ToList();
        var sdkFinal = result.GetProperty("sdkStream");
        Assert.True(sdkDeltas.Count >= 10, $"only {sdkDeltas.Count} deltas");
        Assert.True(sdkFinal.GetProperty("done").GetBoolean());
        Assert.Equal("completed", sdkFinal.GetProperty("status").GetString());
        Assert.Equal(string.Concat(sdkDeltas), sdkFinal.GetProperty("response").GetString());
        Assert.Equal("completed", result.GetProperty("sdkCompleted").GetProperty("status").GetString());

        var uiDeltas = result.GetProperty("standaloneDeltas").EnumerateArray().Select(d => d.GetString()).ToList();
        var standalone = result.GetProperty("standaloneStream");
        Assert.True(uiDeltas.Count >= 5, $"only {uiDeltas.Count} deltas");
        Assert.Equal("再说一遍：web-1 与 coredns-1 都在运行。", standalone.GetProperty("response").GetString());
        Assert.Equal(string.Concat(uiDeltas), standalone.GetProperty("response").GetString());

        Assert.Contains("400", result.GetProperty("missingQueryError").GetString(), StringComparison.Ordinal);
        Assert.Contains("查询是必需的", result.GetProperty("missingQueryError").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> RunNodeAsync(string token)
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "js", "assistant-client.mjs");
        var result = await BoundedProcess.RunAsync(
            new BoundedProcessStart("node", [script], TimeSpan.FromSeconds(60))
            {
                Environment = new Dictionary<string, string?>
                {
                    ["NODEOPS_BASE_URL"] = _bed.Host.BaseAddress.ToString().TrimEnd('/'),
                    ["NODEOPS_TOKEN"] = token,
                },
                OutputLimitBytes = 4 * 1024 * 1024,
            },
            TimeProvider.System);

        var output = result.Stdout;
        Assert.True(!result.TimedOut && result.ExitCode == 0 && output.Length > 0, $"node exited {result.ExitCode} (timed out: {result.TimedOut}): {result.Stderr}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static string RepositoryRoot() => RepositoryFolder.Root();
}
