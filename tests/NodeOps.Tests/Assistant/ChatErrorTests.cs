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
    public async Task KubectlForbidden_Returns403KubernetesForbidden_WithResourceAndNamespace()
    {
        _bed.Kube.Forbid("pods", "kube-system");
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl get pods -n kube-system"));
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", new { query = "pods", session_id = "forbidden-1" });

        AssistantErrors.Assert(response, HttpStatusCode.Forbidden, "KUBERNETES_FORBIDDEN");
        var details = response.Json.GetProperty("error_details");
        Assert.Equal("pods", details.GetProperty("resource").GetString());
        Assert.Equal("kube-system", details.GetProperty("namespace").GetString());
        Assert.Equal("kubectl get pods -n kube-system", details.GetProperty("command").GetString());
        Assert.Equal(1, details.GetProperty("exit_code").GetInt32());
        Assert.Contains("Forbidden", details.GetProperty("stderr").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(details.GetProperty("suggestion").GetString()));
    }

    [Fact]
    public async Task KubectlWithoutKubeconfigForTheCluster_Returns503KubectlError()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl get nodes"));
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var (response, frames) = await SseFrames.PostAsync(client, "/api/v1/chat/stream", new { query = "nodes", session_id = "nocluster-1", context = new { cluster = "missing" } });

        // The tool_call frame already went out, so the error arrives as the stream's last frame.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = frames[^1];
        Assert.Equal("error", error.GetProperty("status").GetString());
        Assert.Equal("KUBECTL_ERROR", error.GetProperty("error_code").GetString());
        Assert.True(error.GetProperty("done").GetBoolean());
        Assert.Contains("missing", error.GetProperty("error_details").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("kubectl get nodes", error.GetProperty("error_details").GetProperty("command").GetString());
    }

    [Fact]
    public async Task KubectlClusterUnreachable_Returns503KubectlErrorWithStderr()
    {
        await _bed.Kube.DisposeAsync();
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl get nodes"));
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", new { query = "nodes", session_id = "down-k8s" });

        AssistantErrors.Assert(response, HttpStatusCode.ServiceUnavailable, "KUBECTL_ERROR");
        Assert.Contains("connection refused", response.Json.GetProperty("error_details").GetProperty("stderr").GetString(), StringComparison.Ordinal);
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
