using System.Text.Json;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant.Mcp;

/// <summary>NodeOps with the assistant's MCP client on two real servers: "local" (stdio, in the sandbox) and "remote" (streamable HTTP, trusted for read hints).</summary>
public sealed class McpClientBed : IAsyncDisposable
{
    private McpClientBed(AssistantTestBed bed, HttpMcpTestServer remote)
    {
        Bed = bed;
        Remote = remote;
    }

    public AssistantTestBed Bed { get; }

    public HttpMcpTestServer Remote { get; }

    public static async Task<McpClientBed> StartAsync(bool allowWrites = false)
    {
        var remote = await HttpMcpTestServer.StartAsync();
        var settings = StdioMcpTestServer.Settings("local");
        settings["Assistant:Mcp:Servers:remote:Url"] = remote.Url.ToString();
        settings["Assistant:Mcp:Servers:remote:BearerToken"] = HttpMcpTestServer.Token;
        settings["Assistant:Mcp:Servers:remote:TrustReadOnlyHints"] = "true";
        settings["Assistant:Mcp:PingInterval"] = "00:00:01";
        settings["Assistant:Mcp:ReconnectDelay"] = "00:00:00.200";
        settings["Assistant:Mcp:MaxReconnectDelay"] = "00:00:01";
        settings["Assistant:Mcp:ConnectTimeout"] = "00:00:30";
        settings["Assistant:AllowWrites"] = allowWrites ? "true" : "false";
        var bed = await AssistantTestBed.StartAsync(settings);
        var mcp = new McpClientBed(bed, remote);
        await mcp.WaitForServersAsync(("local", "connected"), ("remote", "connected"));
        return mcp;
    }

    /// <summary>Polls /status until each named server has the given status; returns the mcp_client object.</summary>
    public async Task<JsonElement> WaitForServersAsync(params (string Name, string Status)[] expected)
    {
        using var client = await Bed.Host.ClientAsync(Role.Viewer);
        var found = await Eventually.GetAsync(async () =>
        {
            var status = await client.GetApiAsync("/api/v1/status");
            var mcp = status.Json.GetProperty("components").GetProperty("mcp_client");
            var servers = mcp.GetProperty("servers").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("status").GetString());
            return expected.All(e => servers.GetValueOrDefault(e.Name) == e.Status) ? (object)status.Json.Clone() : null;
        }, TimeSpan.FromSeconds(90), "MCP servers " + string.Join(", ", expected.Select(e => $"{e.Name}={e.Status}")));
        return ((JsonElement)found).GetProperty("components").GetProperty("mcp_client");
    }

    public async ValueTask DisposeAsync()
    {
        await Bed.DisposeAsync();
        await Remote.DisposeAsync();
    }
}
