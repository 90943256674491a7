using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

[Collection(SshNodesCollection.Name)]
public sealed class SshExecutionApiTests(SshNodes nodes) : IAsyncLifetime
{
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];
    private TestHost _host = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        var catalog = FixtureCatalog.For(nodes.Sshd);
        _host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Executions:LaneSize"] = "8" }, configureServices: catalog.Register);
        _user = await _host.ClientAsync(Role.User);
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Execute_OnAllNodes_RunsEachNodeOnceAndCompletes()
    {
        var names = nodes.Sshd.Nodes.Select(n => n.Name).ToArray();
        var taskId = await ExecutionApiClient.StartAsync(_user, "ssh", new
        {
            cluster_name = "test",
            target_nodes = names,
            credential_id = 1,
            command = $"echo ran >> \"$NODEOPS_NODE_DIR/{_token}.log\"; echo \"hello from $NODEOPS_NODE\"",
            timeout = 30,
        });

        var status = await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", taskId);

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(names.Length, status.GetProperty("success_count").GetInt32());
        Assert.Equal(0, status.GetProperty("failed_count").GetInt32());
        var results = ExecutionApiClient.ResultsByNode(status);
        foreach (var node in nodes.Sshd.Nodes)
        {
            Assert.Equal("success", results[node.Name].GetProperty("status").GetString());
            Assert.Equal(0, results[node.Name].GetProperty("exit_code").GetInt32());
            Assert.Equal($"hello from {node.Name}\n", results[node.Name].GetProperty("stdout").GetString());
            Assert.Equal("", results[node.Name].GetProperty("stderr").GetString());
            Assert.Equal(1, SshdFixture.CountLines(node, _token + ".log"));
        }
    }
}
