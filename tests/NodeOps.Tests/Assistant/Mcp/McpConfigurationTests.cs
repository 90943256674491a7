using Microsoft.Extensions.Configuration;
using NodeOps.Assistant;
using NodeOps.Assistant.Mcp;
using NodeOps.Functions.Hosting;

namespace NodeOps.Tests.Assistant.Mcp;

/// <summary>The spec's --mcp-client flag, and the start-up checks of Assistant:Mcp:Servers.</summary>
public sealed class McpConfigurationTests
{
    [Fact]
    public void McpClientFlag_EnablesTheClient_WithoutSwallowingTheNextArgument()
    {
        var args = McpExtensions.ExpandMcpClientFlag(["--mcp-client", "--Assistant:MaxIterations=7"]);
        var options = new AssistantOptions();

        new ConfigurationBuilder().AddCommandLine(args).Build().GetSection(AssistantOptions.Section).Bind(options);

        Assert.True(options.Mcp.Enabled);
        Assert.True(options.Mcp.IsOn);
        Assert.Equal(7, options.MaxIterations);
        Assert.False(new AssistantMcpOptions().IsOn);
        Assert.True(new AssistantMcpOptions { Servers = { ["x"] = new McpServerOptions { Url = "http://127.0.0.1:1/mcp" } } }.IsOn);
        Assert.False(new AssistantMcpOptions { Enabled = false, Servers = { ["x"] = new McpServerOptions { Url = "http://127.0.0.1:1/mcp" } } }.IsOn);
    }

    [Fact]
    public void Servers_NeedOneTransport_ALowercaseName_AnAbsoluteProgram_AndAnHttpUrl()
    {
        var options = new AssistantOptions();
        options.Mcp.Servers["Bad Name"] = new McpServerOptions { Command = "/usr/bin/python3", Url = "http://127.0.0.1:1/mcp" };
        options.Mcp.Servers["relative"] = new McpServerOptions { Command = "npx", BearerToken = "t" };
        options.Mcp.Servers["ftp"] = new McpServerOptions { Url = "ftp://example.com/mcp" };
        options.Mcp.Servers["good"] = new McpServerOptions { Url = "https://example.com/mcp", BearerToken = "t" };

        var failures = new McpServerRules().Validate(null, options).Failures!.ToList();

        Assert.Equal(5, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Assistant:Mcp:Servers:Bad Name: a server name", StringComparison.Ordinal));
        Assert.Contains("Assistant:Mcp:Servers:Bad Name: set either Command (stdio) or Url (streamable HTTP), not both.", failures);
        Assert.Contains("Assistant:Mcp:Servers:relative:Command must be the program's absolute path (e.g. /usr/bin/npx).", failures);
        Assert.Contains("Assistant:Mcp:Servers:relative:BearerToken applies to a Url server only.", failures);
        Assert.Contains("Assistant:Mcp:Servers:ftp:Url must be an absolute http or https URL.", failures);
    }
}
