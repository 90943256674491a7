using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodeOps.Assistant.CustomTools;
using NodeOps.Assistant.Mcp;
using NodeOps.Kubernetes;
using NodeOps.Sandbox;

namespace NodeOps.Assistant;

public static class AssistantServiceCollectionExtensions
{
    /// <summary>
    /// The assistant: providers from "Assistant" configuration and the environment, the OpenAI-compatible LLM adapter,
    /// the kubectl tool (and bash when enabled), custom tools, the MCP client, sessions and the command audit in the table store.
    /// </summary>
    public static IServiceCollection AddAssistantCore(this IServiceCollection services, bool bashEnabled)
    {
        services.AddOptions<AssistantOptions>().BindConfiguration(AssistantOptions.Section)
            .Validate(o => o.MaxIterations is >= 1 and <= 100, "Assistant:MaxIterations must be between 1 and 100.")
            .Validate(o => o.LlmTimeout > TimeSpan.Zero && o.Tools.KubectlTimeout > TimeSpan.Zero && o.Tools.BashTimeout > TimeSpan.Zero, "Assistant timeouts must be positive.")
            .Validate(o => o.LlmMaxRetries is >= 0 and <= 5, "Assistant:LlmMaxRetries must be between 0 and 5.")
            .Validate(o => o.Tools.OutputLimitBytes is >= 1024 and <= 1024 * 1024, "Assistant:Tools:OutputLimitBytes must be between 1 KiB and 1 MiB.")
            .Validate(o => o.SessionLease >= TimeSpan.FromSeconds(30), "Assistant:SessionLease must be at least 30 seconds.")
            .Validate(o => o.Mcp.ConnectTimeout > TimeSpan.Zero && o.Mcp.CallTimeout > TimeSpan.Zero && o.Mcp.PingInterval > TimeSpan.Zero && o.Mcp.ReconnectDelay > TimeSpan.Zero && o.Mcp.MaxReconnectDelay >= o.Mcp.ReconnectDelay, "Assistant:Mcp timeouts and delays must be positive, MaxReconnectDelay at least ReconnectDelay.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AssistantOptions>, CustomToolRules>();
        services.AddSingleton<IValidateOptions<AssistantOptions>, McpServerRules>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LlmProviderCatalog>();
        services.AddSingleton<ILlmClient, OpenAiLlmClient>();
        services.AddSandbox();
        services.AddSingleton<ToolSandbox>();
        services.AddSingleton<IAssistantTool, KubectlTool>();
        if (bashEnabled)
        {
            services.AddSingleton<IAssistantTool, BashTool>();
        }

        services.AddSingleton<CustomToolSource>();
        services.AddSingleton<IAssistantToolSource>(sp => sp.GetRequiredService<CustomToolSource>());
        services.AddSingleton<McpClientService>();
        services.AddSingleton<IAssistantToolSource>(sp => sp.GetRequiredService<McpClientService>());
        services.AddHostedService(sp => sp.GetRequiredService<McpClientService>());

        services.AddSingleton<ChatSessionStore>();
        services.AddSingleton<CommandAuditLog>();
        services.AddSingleton<AssistantMetrics>();
        services.AddKubernetesClients();
        services.AddSingleton<AssistantHealth>();
        services.AddSingleton<AssistantAgent>();
        return services;
    }

    /// <summary>Builds the provider catalog now, so a bad provider configuration stops start-up with its message.</summary>
    public static void ValidateAssistant(this IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<AssistantOptions>>().Value;
        _ = services.GetRequiredService<LlmProviderCatalog>();
    }
}
