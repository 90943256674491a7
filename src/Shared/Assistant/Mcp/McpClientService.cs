using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NodeOps.Assistant.Mcp;

/// <summary>A configured server as /status shows it.</summary>
public sealed record McpServerState(string Name, string Status, int Tools, DateTimeOffset? LastPing, string? Error);

/// <summary>The MCP client as /health and /status show it: "not_configured", "disabled", "enabled" (every server connected) or "degraded".</summary>
public sealed record McpClientState(string Status, IReadOnlyList<McpServerState> Servers, DateTimeOffset LastCheck)
{
    public int ServersConnected => Servers.Count(s => s.Status == "connected");

    public int ToolsAvailable => Servers.Sum(s => s.Tools);
}

/// <summary>
/// The assistant's MCP client: one connection per configured server, kept up in the background from start-up, and
/// the tools of the connected ones offered to the model. A server that is down is named to the model with its tools,
/// so it can tell the user; the turn goes on without them.
/// </summary>
internal sealed class McpClientService : BackgroundService, IAssistantToolSource
{
    private readonly AssistantMcpOptions _settings;
    private readonly IReadOnlyList<McpServerConnection> _connections;
    private readonly TimeProvider _time;

    public McpClientService(IOptions<AssistantOptions> options, ToolSandbox sandbox, TimeProvider time, ILogger<McpClientService> logger)
    {
        _settings = options.Value.Mcp;
        _time = time;
        _connections = _settings.IsOn
            ? _settings.Servers.Select(kv => new McpServerConnection(kv.Key, kv.Value, _settings, options.Value.Tools, sandbox, time, logger)).ToList()
            : [];
    }

    public IReadOnlyList<IAssistantTool> AvailableTools => _connections.SelectMany(c => c.Tools).ToList();

    public IReadOnlyList<string> Notices => _connections
        .Where(c => c.Status != "connected")
        .Select(c => $"MCP server '{c.Name}' is unavailable ({c.Error ?? "connecting"}); its tools{(c.KnownTools.Count == 0 ? "" : " (" + string.Join(", ", c.KnownTools) + ")")} cannot be used now. If the user needs them, say so.")
        .ToList();

    public McpClientState State()
    {
        var servers = _connections.Select(c => new McpServerState(c.Name, c.Status, c.Tools.Count, c.LastPing, c.Error)).ToList();
        var status = _settings.Enabled == false ? "disabled"
            : servers.Count == 0 ? "not_configured"
            : servers.All(s => s.Status == "connected") ? "enabled"
            : "degraded";
        var lastCheck = _connections.Select(c => c.LastCheck).Where(t => t is not null).Max() ?? _time.GetUtcNow();
        return new McpClientState(status, servers, lastCheck);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_connections.Select(c => Task.Run(() => c.RunAsync(stoppingToken), stoppingToken)));
}
