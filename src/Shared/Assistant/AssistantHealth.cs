using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodeOps.Assistant.Mcp;
using NodeOps.Clusters;
using NodeOps.Kubernetes;

namespace NodeOps.Assistant;

/// <summary>One component's health: "healthy", "unhealthy" or "not_configured" (mcp_client: "enabled", "degraded", "disabled"), with facts about it.</summary>
public sealed record ComponentHealth(string Status, IReadOnlyDictionary<string, object?> Details, DateTimeOffset LastCheck);

/// <summary>
/// The whole picture: "healthy" (every configured component works), "degraded" (a configured LLM provider or cluster
/// fails), "unhealthy" (storage fails). A "not_configured" component never lowers it.
/// </summary>
public sealed record HealthReport(string Status, IReadOnlyDictionary<string, ComponentHealth> Components);

/// <summary>
/// Real component checks for /health: the LLM provider by listing its models (cached, so a busy health endpoint
/// does not spend provider quota), Kubernetes by the default cluster's /version (cached briefly), storage by a read.
/// </summary>
public sealed class AssistantHealth(
    LlmProviderCatalog providers,
    ILlmClient llm,
    ChatSessionStore sessions,
    IServiceProvider services,
    IKubernetesClients kubernetes,
    IOptions<AssistantOptions> options,
    TimeProvider time) : IDisposable
{
    private static readonly TimeSpan KubernetesCacheFor = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan KubernetesProbeTimeout = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _llmGate = new(1, 1);
    private readonly SemaphoreSlim _kubeGate = new(1, 1);
    private ComponentHealth? _llm;
    private ComponentHealth? _kubernetes;

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        var llmTask = LlmAsync(cancellationToken);
        var kubeTask = KubernetesAsync(cancellationToken);
        var storage = await StorageAsync(cancellationToken).ConfigureAwait(false);
        var components = new Dictionary<string, ComponentHealth>(StringComparer.Ordinal)
        {
            ["llm_provider"] = await llmTask.ConfigureAwait(false),
            ["kubernetes"] = await kubeTask.ConfigureAwait(false),
            ["storage"] = storage,
            ["mcp_client"] = McpClient(),
        };
        // A component nobody configured (or switched off) is not a fault: a fresh NodeOps without a cluster or an LLM works.
        var status = storage.Status != "healthy" ? "unhealthy"
            : components.Values.All(c => c.Status is "healthy" or "enabled" or "not_configured" or "disabled") ? "healthy"
            : "degraded";
        return new HealthReport(status, components);
    }

    /// <summary>The spec's mcp_client: "enabled" while every configured server is connected, "degraded" when one is not.</summary>
    private ComponentHealth McpClient()
    {
        var state = services.GetRequiredService<McpClientService>().State();
        var details = new Dictionary<string, object?>
        {
            ["servers_connected"] = state.ServersConnected,
            ["servers_configured"] = state.Servers.Count,
            ["tools_available"] = state.ToolsAvailable,
        };
        if (state.Status == "not_configured")
        {
            details["suggestion"] = "在 Assistant:Mcp:Servers:<name> 配置 MCP 服务器（Command 或 Url）";
        }

        return new ComponentHealth(state.Status, details, state.LastCheck);
    }

    private async Task<ComponentHealth> LlmAsync(CancellationToken cancellationToken)
    {
        var provider = providers.Default;
        if (provider is null)
        {
            return new ComponentHealth("not_configured", new Dictionary<string, object?>
            {
                ["provider"] = null,
                ["message"] = "没有配置任何 LLM 提供方",
                ["suggestion"] = LlmProviderCatalog.HowToConfigure,
            }, time.GetUtcNow());
        }

        await _llmGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_llm is { } cached && time.GetUtcNow() - cached.LastCheck < options.Value.HealthProbeCacheFor)
            {
                return cached;
            }

            var probe = await llm.ProbeAsync(provider, cancellationToken).ConfigureAwait(false);
            _llm = new ComponentHealth(probe.Healthy ? "healthy" : "unhealthy", new Dictionary<string, object?>
            {
                ["provider"] = provider.Name,
                ["model"] = provider.DefaultModel,
                ["message"] = probe.Detail,
            }, time.GetUtcNow());
            return _llm;
        }
        finally
        {
            _llmGate.Release();
        }
    }

    private async Task<ComponentHealth> KubernetesAsync(CancellationToken cancellationToken)
    {
        await _kubeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_kubernetes is { } cached && time.GetUtcNow() - cached.LastCheck < KubernetesCacheFor)
            {
                return cached;
            }

            _kubernetes = await ProbeKubernetesAsync(cancellationToken).ConfigureAwait(false);
            return _kubernetes;
        }
        finally
        {
            _kubeGate.Release();
        }
    }

    private async Task<ComponentHealth> ProbeKubernetesAsync(CancellationToken cancellationToken)
    {
        var source = services.GetService<IKubeconfigSource>();
        string? kubeconfig = null;
        if (source is not null)
        {
            try
            {
                kubeconfig = await source.GetKubeconfigAsync(null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return new ComponentHealth("unhealthy", new Dictionary<string, object?> { ["message"] = "无法读取默认集群的 kubeconfig" }, time.GetUtcNow());
            }
        }

        if (kubeconfig is null)
        {
            return new ComponentHealth("not_configured", new Dictionary<string, object?>
            {
                ["cluster"] = null,
                ["message"] = "没有默认集群",
                ["suggestion"] = "注册一个带 kubeconfig 的集群并设为默认",
            }, time.GetUtcNow());
        }

        try
        {
            using var timeout = new CancellationTokenSource(KubernetesProbeTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            using var client = kubernetes.Open(null, kubeconfig);
            var version = await client.GetVersionAsync(linked.Token).ConfigureAwait(false);
            return new ComponentHealth("healthy", new Dictionary<string, object?>
            {
                ["cluster"] = client.ClusterName,
                ["version"] = version.GitVersion,
            }, time.GetUtcNow());
        }
        catch (Exception ex) when (ex is KubeconfigException or KubernetesApiException)
        {
            return new ComponentHealth("unhealthy", new Dictionary<string, object?> { ["message"] = ex.Message }, time.GetUtcNow());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ComponentHealth("unhealthy", new Dictionary<string, object?> { ["message"] = $"The API server did not answer in {KubernetesProbeTimeout.TotalSeconds:0} s." }, time.GetUtcNow());
        }
    }

    private async Task<ComponentHealth> StorageAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            await sessions.ProbeAsync(cancellationToken).ConfigureAwait(false);
            return new ComponentHealth("healthy", new Dictionary<string, object?> { ["latency_ms"] = Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 2) }, time.GetUtcNow());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ComponentHealth("unhealthy", new Dictionary<string, object?> { ["message"] = "存储暂时不可用" }, time.GetUtcNow());
        }
    }

    public void Dispose()
    {
        _llmGate.Dispose();
        _kubeGate.Dispose();
    }
}
