using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using NodeOps.Assistant;

namespace NodeOps.Tests.Assistant;

public sealed class LlmProviderCatalogTests
{
    [Fact]
    public void NothingConfigured_HasNoDefault()
    {
        var catalog = Catalog([]);

        Assert.Empty(catalog.Providers);
        Assert.Null(catalog.Default);
    }

    [Fact]
    public void WellKnownKeysFromTheEnvironment_ConfigureProvidersWithTheirEndpoints()
    {
        var catalog = Catalog(new() { ["DASHSCOPE_API_KEY"] = "k1", ["ARK_API_KEY"] = "k2" });

        Assert.Equal(["qwen", "doubao"], catalog.Providers.Select(p => p.Name));
        Assert.Equal(new Uri("https://dashscope.aliyuncs.com/compatible-mode/v1"), catalog.Find("qwen")!.BaseUrl);
        Assert.Equal(new Uri("https://ark.cn-beijing.volces.com/api/v3"), catalog.Find("doubao")!.BaseUrl);
        Assert.Equal("DASHSCOPE_API_KEY", catalog.Find("qwen")!.ApiKeySource);
        Assert.Equal("qwen", catalog.Default!.Name);
    }

    [Fact]
    public void ConfiguredKeyWinsOverEnvironment_AndDefaultProviderIsHonoured()
    {
        var catalog = Catalog(new()
        {
            ["DEEPSEEK_API_KEY"] = "env-key",
            ["Assistant:Providers:deepseek:ApiKey"] = "config-key",
            ["OPENAI_API_KEY"] = "openai-key",
            ["Assistant:DefaultProvider"] = "openai",
        });

        Assert.Equal("config-key", catalog.Find("deepseek")!.ApiKey);
        Assert.Equal("openai", catalog.Default!.Name);
        Assert.DoesNotContain("config-key", catalog.Find("deepseek")!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CustomEndpointWithoutKey_IsConfigured_ForOllamaOrVllm()
    {
        var catalog = Catalog(new()
        {
            ["Assistant:Providers:ollama:BaseUrl"] = "http://127.0.0.1:11434/v1",
            ["Assistant:Providers:ollama:DefaultModel"] = "qwen2.5:7b",
        });

        var ollama = catalog.Find("ollama")!;
        Assert.Null(ollama.ApiKey);
        Assert.Equal("qwen2.5:7b", ollama.DefaultModel);
        Assert.Equal("ollama", catalog.Default!.Name);
    }

    [Theory]
    [InlineData("Assistant:Providers:vllm:DefaultModel", "m", "BaseUrl")]
    [InlineData("Assistant:Providers:vllm:BaseUrl", "http://127.0.0.1:8000/v1", "at least one model")]
    [InlineData("Assistant:Providers:vllm:BaseUrl", "ftp://x", "BaseUrl")]
    public void CustomEndpointMisconfigured_FailsWithTheSetting(string key, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Catalog(new() { [key] = value }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownDefaultProvider_FailsWhenOthersAreConfigured()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Catalog(new() { ["OPENAI_API_KEY"] = "k", ["Assistant:DefaultProvider"] = "deepseek" }));

        Assert.Contains("deepseek", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8000", "http://127.0.0.1:8000/v1")]
    [InlineData("http://127.0.0.1:8000/", "http://127.0.0.1:8000/v1")]
    [InlineData("http://127.0.0.1:8000/v1", "http://127.0.0.1:8000/v1")]
    [InlineData("http://127.0.0.1:8000/v1/", "http://127.0.0.1:8000/v1")]
    [InlineData("https://gateway.example/openai/v1", "https://gateway.example/openai/v1")]
    [InlineData("https://ark.cn-beijing.volces.com/api/v3", "https://ark.cn-beijing.volces.com/api/v3")]
    public void CustomBaseUrl_WithOrWithoutV1_ReachesTheApiRoot(string configured, string expected)
    {
        var catalog = Catalog(new()
        {
            ["Assistant:Providers:vllm:BaseUrl"] = configured,
            ["Assistant:Providers:vllm:DefaultModel"] = "qwen2.5-7b",
        });

        Assert.Equal(new Uri(expected), catalog.Find("vllm")!.BaseUrl);
    }

    [Fact]
    public void WellKnownProviderGivenItsBareHost_GetsV1()
    {
        var catalog = Catalog(new() { ["DEEPSEEK_API_KEY"] = "k", ["Assistant:Providers:deepseek:BaseUrl"] = "https://api.deepseek.com" });

        Assert.Equal(new Uri("https://api.deepseek.com/v1"), catalog.Find("deepseek")!.BaseUrl);
    }

    private static LlmProviderCatalog Catalog(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = configuration.GetSection(AssistantOptions.Section).Get<AssistantOptions>() ?? new AssistantOptions();
        return new LlmProviderCatalog(Options.Create(options), configuration);
    }
}
