using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using NodeOps.Assistant;
using NodeOps.Assistant.CustomTools;
using NodeOps.Assistant.Mcp;
using NodeOps.Auth;
using NodeOps.Functions.Http;
using NodeOps.Functions.Security;
using NodeOps.Json;

namespace NodeOps.Functions.Apis;

/// <summary>
/// The assistant's public health and model list, its status for signed-in callers, and OPTIONS answers for every
/// assistant path. Every figure is measured on this instance; nothing is a placeholder.
/// </summary>
internal static class AssistantInfoApi
{
    private static readonly string[] AssistantPaths = ["/api/v1/chat", "/api/v1/chat/{**rest}", "/api/v1/health", "/api/v1/models", "/api/v1/status"];

    public static RouteGroupBuilder MapAssistantInfoApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1").WithTags("Assistant");
        group.MapGet("/health", HealthAsync).AllowAnonymous();
        group.MapGet("/models", Models).AllowAnonymous();
        group.MapGet("/status", StatusAsync).RequireRole(Role.Viewer);
        foreach (var path in AssistantPaths)
        {
            // A bare OPTIONS (no CORS preflight headers) still gets the spec's CORS answer; preflights are answered by the CORS middleware.
            routes.MapMethods(path, ["OPTIONS"], Options).AllowAnonymous().ExcludeFromDescription();
        }

        return group;
    }

    private static IResult Options(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlAllowMethods = "GET, POST, PUT, DELETE, OPTIONS";
        headers.AccessControlAllowHeaders = "Content-Type, Authorization, X-Requested-With, X-API-Key, X-Request-ID";
        headers.AccessControlMaxAge = "86400";
        headers.Allow = "GET, POST, DELETE, OPTIONS";
        return Results.NoContent();
    }

    private static async Task<IResult> HealthAsync(AssistantHealth health, AssistantMetrics metrics, TimeProvider time, HttpContext http)
    {
        var report = await health.CheckAsync(http.RequestAborted);
        var now = time.GetUtcNow();
        var components = report.Components.ToDictionary(
            kv => kv.Key,
            kv => (object?)new Dictionary<string, object?>(kv.Value.Details) { ["status"] = kv.Value.Status, ["last_check"] = kv.Value.LastCheck });
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status,
            ["version"] = Build.Version,
            ["timestamp"] = now,
            ["uptime"] = AssistantFormat.Duration(now - metrics.StartedAt),
            ["components"] = components,
        };
        return Results.Json(body, NodeOpsJson.Options, statusCode: report.Status == "unhealthy" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private static IResult Models(LlmProviderCatalog catalog, TimeProvider time)
    {
        var models = catalog.Providers.SelectMany(p => p.Models).ToList();
        var current = catalog.Default;
        return Results.Json(new Dictionary<string, object?>
        {
            ["models"] = models.Select(m => new Dictionary<string, object?>
            {
                ["id"] = m.Id,
                ["name"] = m.Name,
                ["provider"] = m.Provider,
                ["description"] = m.Description,
                ["capabilities"] = m.Capabilities,
                ["context_length"] = m.ContextLength,
                ["cost_per_token"] = m.CostPerToken,
            }).ToList(),
            ["current"] = current?.DefaultModel,
            ["provider"] = current?.Name,
            ["timestamp"] = time.GetUtcNow(),
            ["metadata"] = new Dictionary<string, object?>
            {
                ["total_models"] = models.Count,
                ["providers"] = catalog.Providers.Select(p => p.Name).ToList(),
                ["default_provider"] = current?.Name,
                ["supports_function_calling"] = current?.Model(null).SupportsFunctionCalling ?? false,
            },
        }, NodeOpsJson.Options);
    }

    private static async Task<IResult> StatusAsync(
        HttpContext http,
        AssistantMetrics assistant,
        RequestMetrics requests,
        LlmProviderCatalog catalog,
        AssistantAgent agent,
        CustomToolSource customTools,
        McpClientService mcp,
        ChatSessionStore sessions,
        Microsoft.Extensions.Options.IOptions<AssistantOptions> options,
        TimeProvider time)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        var active = await sessions.CountActiveAsync(now - settings.ActiveSessionWindow, http.RequestAborted);
        var snapshot = requests.Snapshot();
        var gc = GC.GetGCMemoryInfo();
        using var process = Process.GetCurrentProcess();
        var provider = catalog.Default;
        var llmCalls = assistant.LlmCalls;
        var mcpState = mcp.State();
        return Results.Json(new Dictionary<string, object?>
        {
            ["status"] = "running",
            ["timestamp"] = now,
            ["uptime"] = AssistantFormat.Duration(now - assistant.StartedAt),
            ["version"] = Build.Version,
            ["build_info"] = new Dictionary<string, object?>
            {
                ["commit"] = Build.Commit,
                ["build_date"] = Build.Date,
                ["dotnet_version"] = RuntimeInformation.FrameworkDescription,
            },
            ["system"] = new Dictionary<string, object?>
            {
                ["os"] = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : RuntimeInformation.OSDescription,
                ["arch"] = RuntimeInformation.OSArchitecture switch { Architecture.X64 => "amd64", Architecture.Arm64 => "arm64", var a => a.ToString().ToLowerInvariant() },
                ["cpu_cores"] = Environment.ProcessorCount,
                ["memory_total"] = AssistantFormat.Bytes(gc.TotalAvailableMemoryBytes),
                ["memory_used"] = AssistantFormat.Bytes(process.WorkingSet64),
            },
            ["components"] = new Dictionary<string, object?>
            {
                ["agent"] = new Dictionary<string, object?>
                {
                    ["status"] = provider is null ? "unavailable" : "ready",
                    ["active_sessions"] = active,
                    ["total_queries"] = assistant.Turns,
                    ["failed_queries"] = assistant.FailedTurns,
                    ["avg_response_time"] = AssistantFormat.Duration(assistant.AverageTurnTime),
                    ["max_iterations"] = settings.MaxIterations,
                },
                ["tools"] = new Dictionary<string, object?>
                {
                    ["status"] = File.Exists(settings.Tools.KubectlPath) ? "available" : "unavailable",
                    ["kubectl"] = File.Exists(settings.Tools.KubectlPath) ? "enabled" : "missing",
                    ["bash"] = settings.Tools.BashEnabled ? "enabled" : "disabled",
                    ["mode"] = settings.AllowWrites ? "approval" : "read_only",
                    ["custom_tools"] = customTools.AvailableTools.Count,
                    ["mcp_tools"] = mcpState.ToolsAvailable,
                    ["available"] = agent.ToolNames.Order(StringComparer.Ordinal).ToList(),
                    ["total"] = agent.ToolNames.Count,
                },
                ["mcp_client"] = new Dictionary<string, object?>
                {
                    ["status"] = mcpState.Status,
                    ["servers"] = mcpState.Servers.Select(server => new Dictionary<string, object?>
                    {
                        ["name"] = server.Name,
                        ["status"] = server.Status,
                        ["tools"] = server.Tools,
                        ["last_ping"] = server.LastPing,
                        ["error"] = server.Error,
                    }).ToList(),
                },
                ["llm"] = new Dictionary<string, object?>
                {
                    ["provider"] = provider?.Name,
                    ["model"] = provider?.DefaultModel,
                    ["status"] = provider is null ? "not_configured" : "ready",
                    ["last_request"] = assistant.LastLlmCall,
                    ["total_requests"] = llmCalls,
                    ["total_tokens_used"] = assistant.TotalTokens,
                    ["prompt_tokens"] = assistant.PromptTokens,
                    ["completion_tokens"] = assistant.CompletionTokens,
                    ["avg_tokens_per_request"] = llmCalls == 0 ? 0 : assistant.TotalTokens / llmCalls,
                },
            },
            ["metrics"] = new Dictionary<string, object?>
            {
                ["requests_total"] = snapshot.Total,
                ["requests_success"] = snapshot.Succeeded,
                ["requests_error"] = snapshot.Failed,
                ["requests_client_error"] = snapshot.ClientErrors,
                ["long_lived_connections"] = snapshot.LongLived,
                ["success_rate"] = AssistantFormat.Percent(snapshot.SuccessRate),
                ["avg_response_time"] = AssistantFormat.Duration(snapshot.Average),
                ["p95_response_time"] = AssistantFormat.Duration(snapshot.P95),
                ["p99_response_time"] = AssistantFormat.Duration(snapshot.P99),
            },
        }, NodeOpsJson.Options);
    }

    /// <summary>What the build stamped into the assembly: version, the commit (from Source Link), and when it was built.</summary>
    private static class Build
    {
        private static readonly Assembly Assembly = typeof(AssistantInfoApi).Assembly;
        private static readonly string Informational = Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

        public static string Version { get; } = Informational.Split('+')[0];

        public static string Commit { get; } = Informational.Contains('+', StringComparison.Ordinal) ? Informational.Split('+')[1] : "unknown";

        public static DateTimeOffset? Date { get; } = string.IsNullOrEmpty(Assembly.Location) ? null : new DateTimeOffset(File.GetLastWriteTimeUtc(Assembly.Location), TimeSpan.Zero);
    }
}
