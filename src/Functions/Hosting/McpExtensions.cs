using NodeOps.Auth;
using NodeOps.Functions.Mcp;
using NodeOps.Functions.Security;

namespace NodeOps.Functions.Hosting;

/// <summary>
/// NodeOps as an MCP server: /api/v1/mcp speaks streamable HTTP, behind the same authentication (JWT or API key) and
/// role rules as the REST API. Stateless: every request stands alone, so any instance behind a load balancer answers.
/// </summary>
internal static class McpExtensions
{
    public const string Path = "/api/v1/mcp";

    /// <summary>The spec starts its server with <c>--mcp-client</c>; here it switches the assistant's MCP client on.</summary>
    public static string[] ExpandMcpClientFlag(string[] args) =>
        [.. args.Select(a => a == "--mcp-client" ? "--Assistant:Mcp:Enabled=true" : a)];

    public static WebApplicationBuilder AddMcpServer(this WebApplicationBuilder builder)
    {
        builder.Services.AddMcpServer(options => options.ServerInfo = new() { Name = "nodeops", Version = typeof(McpExtensions).Assembly.GetName().Version?.ToString() ?? "1.0.0" })
            .WithHttpTransport(options => options.Stateless = true)
            .WithTools<NodeOpsReadTools>()
            .WithTools<NodeOpsActTools>();
        return builder;
    }

    public static WebApplication MapMcpServer(this WebApplication app)
    {
        // Viewers may connect and read; each act tool checks for the user role itself, as its REST route does.
        app.MapMcp(Path).RequireRole(Role.Viewer).WithTags("MCP");
        return app;
    }
}
