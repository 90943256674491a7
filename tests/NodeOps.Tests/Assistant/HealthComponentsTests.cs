using System.Net;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant;

/// <summary>
/// /health on a fresh NodeOps: a component nobody configured reports not_configured and leaves the whole healthy
/// (so the spec's health-check script accepts a working NodeOps); only a configured component that fails degrades it.
/// </summary>
public sealed class HealthComponentsTests
{
    [Fact]
    public async Task FreshStart_NoClusterNoProvider_IsHealthy()
    {
        await using var host = await TestHost.StartAsync();

        var response = await host.Anonymous.GetApiAsync("/api/v1/health");

        response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("healthy", response.Json.GetProperty("status").GetString());
        var components = response.Json.GetProperty("components");
        Assert.Equal("not_configured", components.GetProperty("llm_provider").GetProperty("status").GetString());
        Assert.Equal("not_configured", components.GetProperty("kubernetes").GetProperty("status").GetString());
        Assert.Equal("healthy", components.GetProperty("storage").GetProperty("status").GetString());
        foreach (var field in new[] { "version", "timestamp", "uptime" })
        {
            Assert.True(response.Json.TryGetProperty(field, out _), $"missing {field}: {response.Body}");
        }
    }

    [Fact]
    public async Task ConfiguredProviderFails_NoCluster_IsDegraded()
    {
        await using var llm = await FakeLlmServer.StartAsync();
        llm.ModelsStatus = 500;
        await using var host = await TestHost.StartAsync(Provider(llm.BaseUrl.ToString()));

        var response = await host.Anonymous.GetApiAsync("/api/v1/health");

        response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("degraded", response.Json.GetProperty("status").GetString());
        Assert.Equal("unhealthy", response.Json.GetProperty("components").GetProperty("llm_provider").GetProperty("status").GetString());
        Assert.Equal("not_configured", response.Json.GetProperty("components").GetProperty("kubernetes").GetProperty("status").GetString());
    }

    [Fact]
    public async Task ProviderGivenWithoutV1_IsReachedAtV1_AndTheWholeIsHealthy()
    {
        await using var llm = await FakeLlmServer.StartAsync();
        var bare = llm.BaseUrl.GetLeftPart(UriPartial.Authority);
        await using var host = await TestHost.StartAsync(Provider(bare));

        var response = await host.Anonymous.GetApiAsync("/api/v1/health");

        Assert.Equal("healthy", response.Json.GetProperty("status").GetString());
        Assert.Equal("healthy", response.Json.GetProperty("components").GetProperty("llm_provider").GetProperty("status").GetString());
        Assert.Contains(llm.Requests, r => r.Path == "/v1/models");
    }

    private static Dictionary<string, string?> Provider(string baseUrl) => new()
    {
        ["Assistant:Providers:local:BaseUrl"] = baseUrl,
        ["Assistant:Providers:local:DefaultModel"] = "fake-model",
    };
}
