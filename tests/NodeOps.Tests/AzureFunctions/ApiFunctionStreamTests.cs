using NodeOps.Tests.Assistant;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.AzureFunctions;

/// <summary>Chat streaming (SSE) through the catch-all HTTP function, against a fake OpenAI-compatible provider.</summary>
public sealed class ApiFunctionStreamTests : IAsyncLifetime
{
    private FakeLlmServer _llm = null!;
    private FunctionsTestBed _bed = null!;

    public async Task InitializeAsync()
    {
        _llm = await FakeLlmServer.StartAsync();
        _bed = await FunctionsTestBed.StartAsync(new Dictionary<string, string?>
        {
            ["Assistant:DefaultProvider"] = "fake",
            ["Assistant:Providers:fake:BaseUrl"] = _llm.BaseUrl.ToString(),
            ["Assistant:Providers:fake:ApiKey"] = "sk-test-secret-key-123",
            ["Assistant:Providers:fake:Models:0:Id"] = "fake-model",
            ["Assistant:Providers:fake:Models:0:Name"] = "Fake Model",
            ["Assistant:Providers:fake:Models:0:ContextLength"] = "16384",
            ["Assistant:LlmRetryBaseDelay"] = "00:00:00.020",
        });
    }

    public async Task DisposeAsync()
    {
        await _bed.DisposeAsync();
        await _llm.DisposeAsync();
    }

    [Fact]
    public async Task ChatStream_ComesBackAsServerSentEvents()
    {
        _llm.Enqueue(FakeLlmResponse.Reply("集群里的节点都处于 Ready 状态。") with { ChunkSize = 3 });
        var token = await _bed.LoginAsync();

        var response = await _bed.SendAsync("POST", "/api/v1/chat/stream", new { query = "nodes?", session_id = "functions-sse-1" }, token, accept: "text/event-stream");

        Assert.True(response.Status == 200, response.Body);
        Assert.StartsWith("text/event-stream", response.ContentType, StringComparison.Ordinal);
        var frames = response.Body.Split('\n')
            .Where(line => line.StartsWith("data: ", StringComparison.Ordinal))
            .Select(line => System.Text.Json.JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone())
            .ToList();
        var deltas = frames.Where(f => f.Type() == "delta").ToList();
        Assert.True(deltas.Count >= 3, response.Body);
        var final = frames[^1];
        Assert.True(final.GetProperty("done").GetBoolean(), response.Body);
        Assert.Equal("集群里的节点都处于 Ready 状态。", final.GetProperty("response").GetString());
    }
}
