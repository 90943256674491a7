using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace NodeOps.Assistant;

/// <summary>
/// The providers NodeOps may call, built once from configuration and the environment. A well-known provider
/// (deepseek, qwen, doubao, openai) needs only its key; any other name is a custom OpenAI-compatible endpoint
/// (vLLM, Ollama) and needs a BaseUrl and at least one model. A provider without a key is not configured, except
/// custom ones, which often need none. A BaseUrl may be given with or without its "/v1".
/// </summary>
public sealed class LlmProviderCatalog
{
    private static readonly string[] Chat = ["chat", "function_calling"];

    private static readonly Dictionary<string, (string BaseUrl, string[] KeyVariables, LlmModelOptions[] Models)> WellKnown = new(StringComparer.OrdinalIgnoreCase)
    {
        ["deepseek"] = ("https://api.deepseek.com/v1", ["DEEPSEEK_API_KEY"],
        [
            Model("deepseek-chat", "DeepSeek Chat", "通用对话模型，适合日常Kubernetes管理", [.. Chat, "reasoning"], 65536),
            Model("deepseek-reasoner", "DeepSeek Reasoner", "推理模型，适合复杂故障分析", [.. Chat, "reasoning"], 65536),
        ]),
        ["qwen"] = ("https://dashscope.aliyuncs.com/compatible-mode/v1", ["DASHSCOPE_API_KEY", "QWEN_API_KEY"],
        [
            Model("qwen-plus", "Qwen Plus", "高性能通用模型", [.. Chat, "analysis"], 131072),
            Model("qwen-max", "Qwen Max", "旗舰模型，适合复杂任务", [.. Chat, "analysis"], 32768),
            Model("qwen-turbo", "Qwen Turbo", "快速低成本模型", Chat, 131072),
        ]),
        ["doubao"] = ("https://ark.cn-beijing.volces.com/api/v3", ["ARK_API_KEY", "DOUBAO_API_KEY"],
        [
            Model("doubao-1-5-pro-32k-250115", "Doubao 1.5 Pro 32k", "火山方舟豆包通用模型", Chat, 32768),
        ]),
        ["openai"] = ("https://api.openai.com/v1", ["OPENAI_API_KEY"],
        [
            Model("gpt-4o-mini", "GPT-4o mini", "快速通用模型", Chat, 128000),
            Model("gpt-4o", "GPT-4o", "通用旗舰模型", [.. Chat, "analysis"], 128000),
        ]),
    };

    private static readonly string[] Order = ["deepseek", "qwen", "doubao", "openai"];

    public LlmProviderCatalog(IOptions<AssistantOptions> options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = options.Value;
        var names = Order.Concat(settings.Providers.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var providers = new List<LlmProvider>();
        var problems = new List<string>();
        foreach (var name in names)
        {
            settings.Providers.TryGetValue(name, out var configured);
            var provider = Build(name.ToLowerInvariant(), configured, configuration, problems);
            if (provider is not null)
            {
                providers.Add(provider);
            }
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(AssistantOptions.Section, typeof(AssistantOptions), problems);
        }

        Providers = providers;
        if (settings.DefaultProvider is { Length: > 0 } wanted && providers.All(p => !p.Name.Equals(wanted, StringComparison.OrdinalIgnoreCase)))
        {
            // A default that is not configured is a deployment mistake worth failing on, unless nothing is configured at all.
            if (providers.Count > 0)
            {
                throw new OptionsValidationException(AssistantOptions.Section, typeof(AssistantOptions),
                    [$"Assistant:DefaultProvider '{wanted}' is not configured (configured: {string.Join(", ", providers.Select(p => p.Name))})."]);
            }
        }

        Default = providers.FirstOrDefault(p => p.Name.Equals(settings.DefaultProvider, StringComparison.OrdinalIgnoreCase)) ?? providers.FirstOrDefault();
    }

    /// <summary>Configured providers, well-known ones first.</summary>
    public IReadOnlyList<LlmProvider> Providers { get; }

    /// <summary>The provider chat uses; null when none is configured.</summary>
    public LlmProvider? Default { get; }

    public LlmProvider? Find(string name) => Providers.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Says how to configure a provider, for the LLM_UNAVAILABLE suggestion.</summary>
    public static string HowToConfigure =>
        "设置 DEEPSEEK_API_KEY、DASHSCOPE_API_KEY、ARK_API_KEY 或 OPENAI_API_KEY 环境变量，或在配置中设置 Assistant:Providers:<name>:ApiKey（自定义兼容端点还需 BaseUrl 和 Models），然后重启 NodeOps";

    private static LlmProvider? Build(string name, LlmProviderOptions? configured, IConfiguration configuration, List<string> problems)
    {
        var known = WellKnown.TryGetValue(name, out var wellKnown);
        string? key = configured?.ApiKey;
        string? keySource = string.IsNullOrEmpty(key) ? null : $"Assistant:Providers:{name}:ApiKey";
        var variables = known ? wellKnown.KeyVariables : [name.ToUpperInvariant().Replace('-', '_') + "_API_KEY"];
        foreach (var variable in variables)
        {
            if (!string.IsNullOrEmpty(key))
            {
                break;
            }

            key = configuration[variable];
            keySource = string.IsNullOrEmpty(key) ? null : variable;
        }

        if (string.IsNullOrEmpty(key))
        {
            key = null;
            if (known || configured is null)
            {
                return null;
            }
        }

        var baseUrl = configured?.BaseUrl ?? (known ? wellKnown.BaseUrl : null);
        if (baseUrl is null || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            problems.Add($"Assistant:Providers:{name}:BaseUrl must be an http(s) URL.");
            return null;
        }

        var modelOptions = configured?.Models is { Count: > 0 } listed ? listed : known ? [.. wellKnown.Models] : [];
        if (configured?.DefaultModel is { Length: > 0 } defaultId && modelOptions.All(m => m.Id != defaultId))
        {
            modelOptions = [Model(defaultId, defaultId, "", Chat, 32768), .. modelOptions];
        }

        if (modelOptions.Count == 0 || modelOptions.Any(m => string.IsNullOrWhiteSpace(m.Id)))
        {
            problems.Add($"Assistant:Providers:{name} needs at least one model with an Id (Models:0:Id) or a DefaultModel.");
            return null;
        }

        var models = modelOptions.Select(m => new LlmModel(
            m.Id,
            m.Name ?? m.Id,
            name,
            m.Description ?? "",
            m.Capabilities is { Count: > 0 } caps ? caps : Chat,
            m.ContextLength is > 0 ? m.ContextLength.Value : 32768,
            m.CostPerToken)).ToList();
        return new LlmProvider(name, ApiRoot(uri), key, keySource, models, configured?.DefaultModel ?? models[0].Id);
    }

    /// <summary>
    /// The OpenAI-compatible API root. A bare server address ("http://gpu:8000", as vLLM and Ollama print it) gets
    /// "/v1", the path every such server serves; a URL with a path ("…/v1", Doubao's "…/api/v3") is kept as given.
    /// </summary>
    internal static Uri ApiRoot(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var path = baseUrl.AbsolutePath.TrimEnd('/');
        return new UriBuilder(baseUrl) { Path = path.Length == 0 ? "/v1" : path }.Uri;
    }

    private static LlmModelOptions Model(string id, string name, string description, string[] capabilities, int contextLength) =>
        new() { Id = id, Name = name, Description = description, Capabilities = [.. capabilities], ContextLength = contextLength };
}
