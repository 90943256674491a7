using System.Net;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;
using Role = NodeOps.Auth.Role;

namespace NodeOps.Tests.Mcp;

/// <summary>NodeOps as an MCP server, driven by the SDK's own client over streamable HTTP, on real sshd nodes.</summary>
[Collection(SshNodesCollection.Name)]
public sealed class McpServerTests(SshNodes nodes) : SshNodesTest(nodes)
{
    [Fact]
    public async Task WithoutAToken_Is401_AndTheClientCannotConnect()
    {
        using var content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/mcp") { Content = content };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");

        using var response = await Host.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(null));
    }

    [Fact]
    public async Task Viewer_ListsAndReads_ButCannotAct()
    {
        await using var viewer = await ConnectAsync(await Host.TokenAsync(Role.Viewer));

        var tools = (await viewer.ListToolsAsync()).ToDictionary(t => t.Name);
        var clusters = await viewer.CallToolAsync("list_clusters", new Dictionary<string, object?>());
        var history = await viewer.CallToolAsync("list_executions", new Dictionary<string, object?> { ["kind"] = "ssh" });
        var act = await viewer.CallToolAsync("run_ssh_command", SshArguments("echo hi"));
        var badKind = await viewer.CallToolAsync("list_executions", new Dictionary<string, object?> { ["kind"] = "ftp" });

        Assert.Equal(
            ["cancel_execution", "get_execution", "list_clusters", "list_executions", "list_nodes", "list_workflows", "node_health", "run_playbook", "run_script", "run_ssh_command", "run_workflow"],
            tools.Keys.Order(StringComparer.Ordinal));
        Assert.True(tools["list_executions"].ProtocolTool.Annotations!.ReadOnlyHint);
        Assert.True(tools["run_ssh_command"].ProtocolTool.Annotations!.DestructiveHint);
        Assert.NotEqual(true, clusters.IsError);
        Assert.NotEqual(true, history.IsError);
        Assert.Equal(0, JsonDocument.Parse(Text(history)).RootElement.GetProperty("total").GetInt32());
        Assert.True(act.IsError);
        Assert.Contains("FORBIDDEN: 需要 user 权限", Text(act), StringComparison.Ordinal);
        Assert.True(badKind.IsError);
        Assert.Contains("kind 必须是以下之一：ssh, script, ansible", Text(badKind), StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_StartsAnSshCommandOnRealNodes_AndReadsItsStatusAndOutputTail()
    {
        await using var user = await ConnectAsync(await Host.TokenAsync(Role.User));

        var started = await user.CallToolAsync("run_ssh_command", SshArguments("for i in 1 2 3 4 5; do echo \"line $i on $NODEOPS_NODE\"; done"));

        Assert.NotEqual(true, started.IsError);
        var taskId = JsonDocument.Parse(Text(started)).RootElement.GetProperty("task_id").GetString()!;
        var final = await Eventually.GetAsync(async () =>
        {
            var status = await user.CallToolAsync("get_execution", new Dictionary<string, object?> { ["kind"] = "ssh", ["task_id"] = taskId, ["tail_lines"] = 2 });
            Assert.NotEqual(true, status.IsError);
            var view = JsonDocument.Parse(Text(status)).RootElement.Clone();
            return view.GetProperty("status").GetString() is "completed" or "failed" ? (object)view : null;
        }, TimeSpan.FromSeconds(120), "the SSH command to finish");
        var result = (JsonElement)final;
        Assert.Equal("completed", result.GetProperty("status").GetString());
        var byNode = result.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("node").GetString()!);
        Assert.Equal(["node1", "node2"], byNode.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("line 4 on node1\nline 5 on node1\n", byNode["node1"].GetProperty("stdout").GetString());
        Assert.Equal("line 4 on node2\nline 5 on node2\n", byNode["node2"].GetProperty("stdout").GetString());
        var history = await user.CallToolAsync("list_executions", new Dictionary<string, object?> { ["kind"] = "ssh", ["cluster_name"] = "test" });
        Assert.Contains(taskId, Text(history), StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_RunsAWorkflowOnRealNodes_ParametersArriveLiterally_AndReadsItAsAWorkflowExecution()
    {
        var created = await User.PostJsonAsync("/api/v1/automation/workflows", new
        {
            name = "mcp-" + Guid.NewGuid().ToString("N")[..8],
            definition = new { steps = new object[] { new { id = "greet", name = "greet", type = "ssh", command = "printf '%s|' \"$GREETING\" \"$NODEOPS_NODE\"" } } },
        });
        created.AssertStatus(HttpStatusCode.Created);
        await using var user = await ConnectAsync(await Host.TokenAsync(Role.User));

        var started = await user.CallToolAsync("run_workflow", new Dictionary<string, object?>
        {
            ["workflow_id"] = created.Data.GetProperty("id").GetInt64(),
            ["cluster_name"] = "test",
            ["target_nodes"] = new[] { "node1", "node2" },
            ["credential_id"] = FixtureCatalog.KeyCredentialId,
            ["parameters"] = new Dictionary<string, string> { ["GREETING"] = "hi $(id -u); echo injected" },
        });

        Assert.NotEqual(true, started.IsError);
        var taskId = JsonDocument.Parse(Text(started)).RootElement.GetProperty("task_id").GetString()!;
        Assert.StartsWith("workflow-exec-", taskId, StringComparison.Ordinal);
        var final = (JsonElement)await Eventually.GetAsync(async () =>
        {
            var status = await user.CallToolAsync("get_execution", new Dictionary<string, object?> { ["kind"] = "workflow", ["task_id"] = taskId });
            Assert.NotEqual(true, status.IsError);
            var view = JsonDocument.Parse(Text(status)).RootElement.Clone();
            return view.GetProperty("status").GetString() is "completed" or "failed" ? (object)view : null;
        }, TimeSpan.FromSeconds(120), "the workflow run to finish");
        Assert.Equal("completed", final.GetProperty("status").GetString());
        var steps = await User.GetApiAsync($"/api/v1/automation/workflows/status/{taskId}");
        steps.AssertStatus(HttpStatusCode.OK);
        Assert.Contains("hi $(id -u); echo injected|node1|", steps.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DangerousCommand_IsRefusedWithTheGuardsRule_AndNothingStarts()
    {
        await using var user = await ConnectAsync(await Host.TokenAsync(Role.User));

        var refused = await user.CallToolAsync("run_ssh_command", SshArguments("rm -rf /"));
        var empty = await user.CallToolAsync("run_ssh_command", SshArguments(" "));

        Assert.True(refused.IsError);
        Assert.Contains("DANGEROUS_COMMAND", Text(refused), StringComparison.Ordinal);
        Assert.Matches(@"\(rule: [a-z0-9_.-]+\)", Text(refused));
        Assert.True(empty.IsError);
        Assert.Contains("(field: command)", Text(empty), StringComparison.Ordinal);
        var history = await user.CallToolAsync("list_executions", new Dictionary<string, object?> { ["kind"] = "ssh" });
        Assert.Equal(0, JsonDocument.Parse(Text(history)).RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ApiKey_SignsInWithItsRole_AndCancelStopsARunningCommand()
    {
        using var admin = await Host.ClientAsync(Role.Admin);
        var created = await admin.PostJsonAsync("/api/v1/api-keys", new { name = "mcp-agent", role = "user" });
        created.AssertStatus(HttpStatusCode.Created);
        var options = new HttpClientTransportOptions
        {
            Endpoint = new Uri(Host.BaseAddress, "/api/v1/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["X-API-Key"] = created.Json.GetProperty("data").GetProperty("key").GetString()! },
        };
        await using var agent = await McpClient.CreateAsync(new HttpClientTransport(options));

        var started = await agent.CallToolAsync("run_ssh_command", SshArguments("echo started; sleep 60; echo never"));
        Assert.NotEqual(true, started.IsError);
        var taskId = JsonDocument.Parse(Text(started)).RootElement.GetProperty("task_id").GetString()!;
        await Eventually.GetAsync(async () =>
        {
            var view = JsonDocument.Parse(Text(await agent.CallToolAsync("get_execution", new Dictionary<string, object?> { ["kind"] = "ssh", ["task_id"] = taskId }))).RootElement;
            return view.GetProperty("results").EnumerateArray().Any(r => r.GetProperty("status").GetString() == "running") ? "" : null;
        }, TimeSpan.FromSeconds(60), "the command to start on the nodes");
        var cancelled = await agent.CallToolAsync("cancel_execution", new Dictionary<string, object?> { ["kind"] = "ssh", ["task_id"] = taskId });

        Assert.NotEqual(true, cancelled.IsError);
        var final = await Eventually.GetAsync(async () =>
        {
            var view = JsonDocument.Parse(Text(await agent.CallToolAsync("get_execution", new Dictionary<string, object?> { ["kind"] = "ssh", ["task_id"] = taskId }))).RootElement.Clone();
            return view.GetProperty("status").GetString() is "pending" or "running" ? null : (object)view;
        }, TimeSpan.FromSeconds(60), "the cancelled command to end");
        Assert.Equal("cancelled", ((JsonElement)final).GetProperty("status").GetString());
        Assert.All(((JsonElement)final).GetProperty("results").EnumerateArray(), r =>
        {
            Assert.Equal("cancelled", r.GetProperty("status").GetString());
            Assert.DoesNotContain("never", r.GetProperty("stdout").GetString(), StringComparison.Ordinal);
        });
    }

    private static Dictionary<string, object?> SshArguments(string command) => new()
    {
        ["cluster_name"] = "test",
        ["target_nodes"] = new[] { "node1", "node2" },
        ["credential_id"] = FixtureCatalog.KeyCredentialId,
        ["command"] = command,
        ["timeout"] = 60,
    };

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    private Task<McpClient> ConnectAsync(string? token)
    {
        var options = new HttpClientTransportOptions { Endpoint = new Uri(Host.BaseAddress, "/api/v1/mcp"), TransportMode = HttpTransportMode.StreamableHttp };
        if (token is not null)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token };
        }

        return McpClient.CreateAsync(new HttpClientTransport(options));
    }
}
