using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant;

/// <summary>Every error code of the assistant surface, in its shape.</summary>
public sealed class ChatErrorTests : IAsyncLifetime
{
    private AssistantTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await AssistantTestBed.StartAsync(new Dictionary<string, string?> { ["Assistant:LlmMaxRetries"] = "2" });

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Theory]
    [InlineData("{\"invalid\": \"request\"}")]
    [InlineData("{\"query\": null}")]
    [InlineData("{\"query\": \"   \", \"session_id\": \"x\"}")]
    public async Task Chat_WithoutQuery_Returns400MissingQueryWithSuggestion(string body)
    {
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", body);

        AssistantErrors.Assert(response, HttpStatusCode.BadRequest, "MISSING_QUERY", "query");
        Assert.Equal("查询是必需的", response.Json.GetProperty("error").GetString());
        Assert.Equal("请在请求体中包含query字段", response.Json.GetProperty("error_details").GetProperty("suggestion").GetString());
        Assert.Empty(_bed.Llm.ChatRequests);
    }

    [Theory]
    [InlineData("{\"query\": \"hi\", \"session_id\": \"has/slash\"}", "session_id")]
    [InlineData("{\"query\": \"hi\", \"extra\": 1}", "extra")]
    [InlineData("{\"query\": 5}", "query")]
    [InlineData("{\"query\": \"hi\", \"context\": {\"namespace\": {\"a\": 1}}}", "context.namespace")]
    [InlineData("{\"query\": \"hi\", \"context\": {\"namespace\": \"Bad_NS\"}}", "context.namespace")]
    [InlineData("{\"query\": \"hi\", \"context\": \"prod\"}", "context")]
    public async Task Chat_InvalidFields_Return400InvalidRequestNamingTheField(string body, string field)
    {
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat/stream", body);

        AssistantErrors.Assert(response, HttpStatusCode.BadRequest, "INVALID_REQUEST", field);
    }

    [Fact]
    public async Task Chat_NotJson_Returns400AndWrongContentTypeReturns415()
    {
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var broken = await client.PostJsonAsync("/api/v1/chat", "{\"query\": ");
        using var text = await client.PostAsync("/api/v1/chat", new StringContent("query=hi", System.Text.Encoding.UTF8, "text/plain"));
        var unsupported = await ApiResponse.ReadAsync(Task.FromResult(text));

        AssistantErrors.Assert(broken, HttpStatusCode.BadRequest, "INVALID_REQUEST");
        AssistantErrors.Assert(unsupported, HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
    }

    [Fact]
    public async Task Chat_Unauthenticated_Returns401InAssistantShape()
    {
        var response = await _bed.Host.Anonymous.PostJsonAsync("/api/v1/chat", new { query = "hi" });
        var stream = await _bed.Host.Anonymous.PostJsonAsync("/api/v1/chat/stream", new { query = "hi" });
        _bed.Host.Anonymous.DefaultRequestHeaders.Add("X-API-Key", "nok_not-a-real-key");
        var badKey = await _bed.Host.Anonymous.PostJsonAsync("/api/v1/chat", new { query = "hi" });
        _bed.Host.Anonymous.DefaultRequestHeaders.Remove("X-API-Key");

        AssistantErrors.Assert(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        AssistantErrors.Assert(stream, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        AssistantErrors.Assert(badKey, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Chat_WithApiKey_Works()
    {
        using var admin = await _bed.Host.ClientAsync(Role.Admin);
        var created = await admin.PostJsonAsync("/api/v1/api-keys", new { name = "bot", role = "viewer" });
        var key = created.Data.GetProperty("key").GetString()!;
        _bed.Llm.Enqueue(FakeLlmResponse.Reply("hello machine"));
        using var machine = new HttpClient { BaseAddress = _bed.Host.BaseAddress };
        machine.DefaultRequestHeaders.Add("X-API-Key", key);

        var response = await machine.PostJsonAsync("/api/v1/chat", new { query = "hi", session_id = "key-1" });

        response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("hello machine", response.Json.GetProperty("response").GetString());
    }

    [Fact]
    public async Task Provider429_Returns429RateLimitedWithRetryAfter_WithoutRetrying()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Error(429, "slow down", retryAfterSeconds: 7));
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", new { query = "hi", session_id = "rl-1" });

        AssistantErrors.Assert(response, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Single(_bed.Llm.ChatRequests);
    }

    [Fact]
    public async Task Provider5xx_IsRetriedWithBackoff_ThenSucceeds()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Error(500), FakeLlmResponse.Error(503), FakeLlmResponse.Reply("recovered"));
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", new { query = "hi", session_id = "retry-1" });

        response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("recovered", response.Json.GetProperty("response").GetString());
        Assert.Equal(3, _bed.Llm.ChatRequests.Count);
    }

    [Fact]
    public async Task Provider5xxEveryTime_Returns503LlmUnavailable_AfterBoundedRetries()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Error(500), FakeLlmResponse.Error(502), FakeLlmResponse.Error(500), FakeLlmResponse.Reply("never"));
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var (response, _) = await SseFrames.PostAsync(client, "/api/v1/chat/stream", new { query = "hi", session_id = "down-1" });
        var body = await ApiResponse.ReadAsync(Task.FromResult(response));

        AssistantErrors.Assert(body, HttpStatusCode.ServiceUnavailable, "LLM_UNAVAILABLE");
        Assert.Equal("fake", body.Json.GetProperty("error_details").GetProperty("provider").GetString());
        Assert.Equal(3, _bed.Llm.ChatRequests.Count);
        Assert.Equal(1, _bed.Llm.Pending);
    }

    [Fact]
    public async Task ProviderRejectsKey_SaysTheKeyIsBad_WithoutShowingIt()
    {
        _bed.Llm.RequiredApiKey = "sk-the-right-one";
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", new { query = "hi", session_id = "key-bad" });

        AssistantErrors.Assert(response, HttpStatusCode.ServiceUnavailable, "LLM_UNAVAILABLE");
        Assert.Equal("invalid_api_key", response.Json.GetProperty("error_details").GetProperty("reason").GetString());
        Assert.Contains("API Key", response.Json.GetProperty("error_details").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-secret-key-123", response.Body, StringComparison.Ordinal);
        Assert.Single(_bed.Llm.ChatRequests);
    }

    [Fact]
    public async Task KubectlForbidden_GoesToTheModelAsTheToolResult_WithResourceAndSuggestion_AndTheTurnCompletes()
    {
        _bed.Kube.Forbid("pods", "kube-system");
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl get pods -n kube-system"), FakeLlmResponse.Reply("NodeOps 的凭据无权列出 kube-system 的 pods。"));
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", new { query = "pods", session_id = "forbidden-1" });

        response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("NodeOps 的凭据无权列出 kube-system 的 pods。", response.Json.GetProperty("response").GetString());
        var toolMessage = _bed.Llm.ChatRequests[1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.Contains("Error from server (Forbidden)", toolMessage, StringComparison.Ordinal);
        Assert.Contains("pods", toolMessage, StringComparison.Ordinal);
        Assert.Contains("KUBERNETES_FORBIDDEN", toolMessage, StringComparison.Ordinal);
        Assert.Contains("授予相应权限", toolMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCluster_Returns400InvalidRequestNamingContextCluster_BeforeTheModelIsAsked()
    {
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var chat = await client.PostJsonAsync("/api/v1/chat", new { query = "nodes", session_id = "nocluster-1", context = new { cluster = "missing" } });
        var (response, _) = await SseFrames.PostAsync(client, "/api/v1/chat/stream", new { query = "nodes", session_id = "nocluster-2", context = new { cluster = "missing" } });
        var stream = await ApiResponse.ReadAsync(Task.FromResult(response));

        AssistantErrors.Assert(chat, HttpStatusCode.BadRequest, "INVALID_REQUEST", "context.cluster");
        Assert.Contains("missing", chat.Json.GetProperty("error_details").GetProperty("message").GetString(), StringComparison.Ordinal);
        AssistantErrors.Assert(stream, HttpStatusCode.BadRequest, "INVALID_REQUEST", "context.cluster");
        Assert.Empty(_bed.Llm.ChatRequests);
    }

    [Fact]
    public async Task KubectlClusterUnreachable_GoesToTheModelWithStderr_AndTheTurnCompletes()
    {
        await _bed.Kube.DisposeAsync();
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl get nodes"), FakeLlmResponse.Reply("集群的 API Server 无法连接。"));
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", new { query = "nodes", session_id = "down-k8s" });

        response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("集群的 API Server 无法连接。", response.Json.GetProperty("response").GetString());
        var toolMessage = _bed.Llm.ChatRequests[1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.Contains("connection refused", toolMessage, StringComparison.Ordinal);
        Assert.Contains("KUBECTL_ERROR", toolMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoProviderConfigured_NodeOpsStarts_AndChatReturns503WithHowToConfigure()
    {
        await using var bed = await AssistantTestBed.StartAsync(withProvider: false);
        using var client = await bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", new { query = "hi" });

        AssistantErrors.Assert(response, HttpStatusCode.ServiceUnavailable, "LLM_UNAVAILABLE");
        Assert.Equal("LLM服务暂时不可用", response.Json.GetProperty("error").GetString());
        Assert.Contains("DEEPSEEK_API_KEY", response.Json.GetProperty("error_details").GetProperty("suggestion").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderTooSlow_TimesOutPerTry_ThenLlmUnavailable()
    {
        await using var bed = await AssistantTestBed.StartAsync(new Dictionary<string, string?> { ["Assistant:LlmTimeout"] = "00:00:00.500", ["Assistant:LlmMaxRetries"] = "1" });
        bed.Llm.Enqueue(
            new FakeLlmResponse { Text = "late", FirstTokenDelay = TimeSpan.FromSeconds(5) },
            new FakeLlmResponse { Text = "late", FirstTokenDelay = TimeSpan.FromSeconds(5) });
        using var client = await bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", new { query = "hi", session_id = "slow-1" });

        AssistantErrors.Assert(response, HttpStatusCode.ServiceUnavailable, "LLM_UNAVAILABLE");
        Assert.Equal(2, bed.Llm.ChatRequests.Count);
    }

    [Fact]
    public async Task SessionBusy_SecondConcurrentRequest_Returns409()
    {
        _bed.Llm.Enqueue(new FakeLlmResponse { Text = "slow", FirstTokenDelay = TimeSpan.FromSeconds(2) });
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var first = client.PostJsonAsync("/api/v1/chat", new { query = "one", session_id = "busy-1" });
        await ChatApiTests.Eventually(() => _bed.Llm.ChatRequests.Count == 1, "the first request never reached the provider");
        var second = await client.PostJsonAsync("/api/v1/chat", new { query = "two", session_id = "busy-1" });

        AssistantErrors.Assert(second, HttpStatusCode.Conflict, "SESSION_BUSY", "session_id");
        (await first).AssertStatus(HttpStatusCode.OK);
    }
}
