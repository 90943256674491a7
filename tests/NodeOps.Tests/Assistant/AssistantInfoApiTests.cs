using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant;

/// <summary>Health, models and status report measured facts; OPTIONS and CORS follow the spec.</summary>
public sealed class AssistantInfoApiTests : IAsyncLifetime
{
    private AssistantTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await AssistantTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Health_AllComponentsUp_IsHealthy_AndTheProviderProbeIsCached()
    {
        var first = await _bed.Host.Anonymous.GetApiAsync("/api/v1/health");
        var second = await _bed.Host.Anonymous.GetApiAsync("/api/v1/health");

        first.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("healthy", first.Json.GetProperty("status").GetString());
        var components = first.Json.GetProperty("components");
        Assert.Equal("healthy", components.GetProperty("llm_provider").GetProperty("status").GetString());
        Assert.Equal("fake", components.GetProperty("llm_provider").GetProperty("provider").GetString());
        Assert.Equal("fake-model", components.GetProperty("llm_provider").GetProperty("model").GetString());
        Assert.Equal("healthy", components.GetProperty("kubernetes").GetProperty("status").GetString());
        Assert.Equal("v1.32.4", components.GetProperty("kubernetes").GetProperty("version").GetString());
        Assert.Equal("fake", components.GetProperty("kubernetes").GetProperty("cluster").GetString());
        Assert.Equal("healthy", components.GetProperty("storage").GetProperty("status").GetString());
        Assert.Matches(@"^\d", first.Json.GetProperty("uptime").GetString());
        Assert.Equal("healthy", second.Json.GetProperty("status").GetString());
        Assert.Single(_bed.Llm.Requests, r => r.Path.EndsWith("/models", StringComparison.Ordinal));
        Assert.Single(_bed.Kube.Requests, r => r.PathAndQuery.TrimEnd('/') == "/version"); // KubernetesClient asks "/version/"
    }

    [Fact]
    public async Task Health_ProviderDown_IsDegradedWith200()
    {
        await using var bed = await AssistantTestBed.StartAsync();
        bed.Llm.ModelsStatus = 500;

        var response = await bed.Host.Anonymous.GetApiAsync("/api/v1/health");

        response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("degraded", response.Json.GetProperty("status").GetString());
        Assert.Equal("unhealthy", response.Json.GetProperty("components").GetProperty("llm_provider").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_ClusterUnreachable_IsDegraded()
    {
        await _bed.Kube.DisposeAsync();

        var response = await _bed.Host.Anonymous.GetApiAsync("/api/v1/health");

        Assert.Equal("degraded", response.Json.GetProperty("status").GetString());
        var kubernetes = response.Json.GetProperty("components").GetProperty("kubernetes");
        Assert.Equal("unhealthy", kubernetes.GetProperty("status").GetString());
        Assert.Contains("cannot be reached", kubernetes.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_NoProvider_IsHealthyAndSaysHowToConfigure()
    {
        await using var bed = await AssistantTestBed.StartAsync(withProvider: false);

        var response = await bed.Host.Anonymous.GetApiAsync("/api/v1/health");

        // An LLM nobody configured is not a fault (issue 16): the cluster works, so the whole is healthy.
        Assert.Equal("healthy", response.Json.GetProperty("status").GetString());
        var llm = response.Json.GetProperty("components").GetProperty("llm_provider");
        Assert.Equal("not_configured", llm.GetProperty("status").GetString());
        Assert.Contains("DEEPSEEK_API_KEY", llm.GetProperty("suggestion").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_ListsConfiguredProvidersWithCapabilitiesAndCurrent()
    {
        var response = await _bed.Host.Anonymous.GetApiAsync("/api/v1/models");

        response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("fake-model", response.Json.GetProperty("current").GetString());
        Assert.Equal("fake", response.Json.GetProperty("provider").GetString());
        var model = response.Json.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "fake-model");
        Assert.Equal("Fake Model", model.GetProperty("name").GetString());
        Assert.Equal(16384, model.GetProperty("context_length").GetInt32());
        Assert.Contains("function_calling", model.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        var metadata = response.Json.GetProperty("metadata");
        Assert.Equal(response.Json.GetProperty("models").GetArrayLength(), metadata.GetProperty("total_models").GetInt32());
        Assert.True(metadata.GetProperty("supports_function_calling").GetBoolean());
    }

    [Fact]
    public async Task Models_WellKnownProviderKeyFromEnvironmentStyleSetting_AddsItsModels()
    {
        await using var bed = await AssistantTestBed.StartAsync(new Dictionary<string, string?> { ["DEEPSEEK_API_KEY"] = "sk-deepseek-test" });

        var response = await bed.Host.Anonymous.GetApiAsync("/api/v1/models");

        var ids = response.Json.GetProperty("models").EnumerateArray().Select(m => (m.GetProperty("provider").GetString(), m.GetProperty("id").GetString())).ToList();
        Assert.Contains(("deepseek", "deepseek-chat"), ids);
        Assert.Contains(("fake", "fake-model"), ids);
        Assert.Equal("fake", response.Json.GetProperty("provider").GetString());
        Assert.DoesNotContain("sk-deepseek-test", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ReportsMeasuredFigures()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl get nodes") with { PromptTokens = 100, CompletionTokens = 10 }, FakeLlmResponse.Reply("2 nodes") with { PromptTokens = 150, CompletionTokens = 25 });
        using var client = await _bed.Host.ClientAsync(Role.Viewer);
        (await client.PostJsonAsync("/api/v1/chat", new { query = "nodes", session_id = "status-1" })).AssertStatus(HttpStatusCode.OK);
        (await _bed.Host.Anonymous.GetApiAsync("/api/v1/nothing-here")).AssertStatus(HttpStatusCode.NotFound);

        var before = await client.GetApiAsync("/api/v1/status");
        var after = await client.GetApiAsync("/api/v1/status");

        before.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("running", before.Json.GetProperty("status").GetString());
        var metrics = before.Json.GetProperty("metrics");
        var total = metrics.GetProperty("requests_total").GetInt64();
        Assert.True(total >= 3, before.Body); // login, chat, the 404; a request is counted once it has been answered
        Assert.True(metrics.GetProperty("requests_client_error").GetInt64() >= 1, before.Body); // the 404 is the caller's, not a failure
        Assert.Equal(total, metrics.GetProperty("requests_success").GetInt64() + metrics.GetProperty("requests_client_error").GetInt64() + metrics.GetProperty("requests_error").GetInt64());
        Assert.Matches(@"^\d+\.\d%$", metrics.GetProperty("success_rate").GetString());
        Assert.Matches(@"^[\d.]+(ms|s)$", metrics.GetProperty("p95_response_time").GetString());
        Assert.Matches(@"^[\d.]+(ms|s)$", metrics.GetProperty("p99_response_time").GetString());
        Assert.Equal(total + 1, after.Json.GetProperty("metrics").GetProperty("requests_total").GetInt64());
        var components = before.Json.GetProperty("components");
        Assert.Equal(1, components.GetProperty("agent").GetProperty("active_sessions").GetInt32());
        Assert.Equal(1, components.GetProperty("agent").GetProperty("total_queries").GetInt64());
        Assert.Equal(285, components.GetProperty("llm").GetProperty("total_tokens_used").GetInt64());
        Assert.Equal(2, components.GetProperty("llm").GetProperty("total_requests").GetInt64());
        Assert.Equal("fake", components.GetProperty("llm").GetProperty("provider").GetString());
        Assert.Equal(["kubectl"], components.GetProperty("tools").GetProperty("available").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("disabled", components.GetProperty("tools").GetProperty("bash").GetString());
        Assert.Equal("read_only", components.GetProperty("tools").GetProperty("mode").GetString());
        Assert.Equal(Environment.ProcessorCount, before.Json.GetProperty("system").GetProperty("cpu_cores").GetInt32());
        Assert.False(string.IsNullOrEmpty(before.Json.GetProperty("build_info").GetProperty("commit").GetString()));
    }

    [Fact]
    public async Task Status_NeedsSignIn()
    {
        var response = await _bed.Host.Anonymous.GetApiAsync("/api/v1/status");

        AssistantErrors.Assert(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Options_PreflightAndBareOptions_AnswerWithTheSpecsCorsHeaders()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/chat/stream");
        preflight.Headers.Add("Origin", "https://ui.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,authorization");
        using var bare = new HttpRequestMessage(HttpMethod.Options, "/api/v1/health");

        using var preflightResponse = await _bed.Host.Anonymous.SendAsync(preflight);
        using var bareResponse = await _bed.Host.Anonymous.SendAsync(bare);

        Assert.Equal(HttpStatusCode.NoContent, preflightResponse.StatusCode);
        Assert.Equal("*", preflightResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", preflightResponse.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Equal("86400", preflightResponse.Headers.GetValues("Access-Control-Max-Age").Single());
        Assert.Equal(HttpStatusCode.NoContent, bareResponse.StatusCode);
        Assert.Equal("*", bareResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
