namespace NodeOps.Assistant;

/// <summary>Bound from the "Assistant" section. Defaults are safe: read-only, bash off.</summary>
public sealed class AssistantOptions
{
    public const string Section = "Assistant";

    /// <summary>Provider used when a request names none; the first configured one when unset.</summary>
    public string? DefaultProvider { get; set; }

    /// <summary>Per provider name: deepseek, qwen, doubao, openai, or any custom name with a BaseUrl.</summary>
    public Dictionary<string, LlmProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Model calls per turn, each possibly followed by tool calls.</summary>
    public int MaxIterations { get; set; } = 20;

    /// <summary>
    /// When true, commands classified as writes are proposed to users (role user or above) for approval instead of
    /// being refused. Every write still waits for an explicit approval.
    /// </summary>
    public bool AllowWrites { get; set; }

    /// <summary>Per-try timeout of a provider call.</summary>
    public TimeSpan LlmTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Retries after a timeout or a 5xx from the provider (429 is never retried: the caller is told).</summary>
    public int LlmMaxRetries { get; set; } = 2;

    public TimeSpan LlmRetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a health probe result of the provider is reused.</summary>
    public TimeSpan HealthProbeCacheFor { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Sessions updated within this window count as active in /status.</summary>
    public TimeSpan ActiveSessionWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long one turn may hold its session before another request may take it over.</summary>
    public TimeSpan SessionLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Tokens kept free for the model's answer when the history is trimmed to the context window.</summary>
    public int ReservedOutputTokens { get; set; } = 4096;

    public int MaxQueryLength { get; set; } = 16_000;

    public AssistantToolOptions Tools { get; set; } = new();

    /// <summary>MCP servers whose tools the model is offered as "server.tool".</summary>
    public Mcp.AssistantMcpOptions Mcp { get; set; } = new();
}

/// <summary>Bound from "Assistant:Tools".</summary>
public sealed class AssistantToolOptions
{
    public string KubectlPath { get; set; } = "/usr/bin/kubectl";

    public TimeSpan KubectlTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bytes of stdout (and separately stderr) kept from one tool run; the rest is cut and flagged.</summary>
    public int OutputLimitBytes { get; set; } = 32 * 1024;

    /// <summary>The bash tool is off unless enabled; its commands always count as writes.</summary>
    public bool BashEnabled { get; set; }

    public string BashPath { get; set; } = "/bin/bash";

    public TimeSpan BashTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>kubectl and bash run in the sandbox with the cluster's kubeconfig and nothing else of the server's. Off is an admin's explicit choice, warned about at start-up.</summary>
    public Sandbox.SandboxMode Sandbox { get; set; } = NodeOps.Sandbox.SandboxMode.On;

    /// <summary>Tools declared in configuration, by name.</summary>
    public Dictionary<string, CustomTools.CustomToolOptions> Custom { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One OpenAI-compatible provider. The key may also come from the environment (e.g. DEEPSEEK_API_KEY).</summary>
public sealed class LlmProviderOptions
{
    public string? BaseUrl { get; set; }

    public string? ApiKey { get; set; }

    public string? DefaultModel { get; set; }

    /// <summary>Models to offer; well-known providers have defaults.</summary>
    public List<LlmModelOptions> Models { get; set; } = [];
}

public sealed class LlmModelOptions
{
    public string Id { get; set; } = "";

    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<string>? Capabilities { get; set; }

    public int? ContextLength { get; set; }

    public double? CostPerToken { get; set; }
}
