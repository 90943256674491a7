using NodeOps.Auth;
using NodeOps.Executions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

/// <summary>
/// Two NodeOps instances on one Azurite (Table and Queue Storage) share one execution's work items: every node
/// runs exactly once, and both instances take part.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TwoInstanceTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private SshdFixture _sshd = null!;
    private TestHost _first = null!;
    private TestHost _second = null!;

    public async Task InitializeAsync()
    {
        _sshd = await SshdFixture.StartAsync(12, "shared");
        var prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "AzureStorage",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["Executions:LaneSize"] = "2",
            ["Executions:MaxConcurrentWorkItems"] = "3",
            ["Executions:PollInterval"] = "00:00:00.200",
        };
        var catalog = FixtureCatalog.For(_sshd, "shared");
        _first = await TestHost.StartAsync(settings, configureServices: catalog.Register);
        _second = await TestHost.StartAsync(settings, configureServices: catalog.Register);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _sshd.DisposeAsync();
    }

    [Fact]
    public async Task OneExecution_TwoInstances_EveryNodeRunsExactlyOnce()
    {
        var token = Guid.NewGuid().ToString("N")[..10];
        using var client = await _first.ClientAsync(Role.User);
        var taskId = await ExecutionApiClient.StartAsync(client, "ssh", new
        {
            cluster_name = "shared",
            target_nodes = _sshd.Nodes.Select(n => n.Name).ToArray(),
            credential_id = 1,
            command = $"echo run >> \"$NODEOPS_NODE_DIR/two-{token}.log\"; sleep 1",
            max_concurrent = 12,
        });

        var status = await ExecutionApiClient.WaitForFinalAsync(client, "ssh", taskId, TimeSpan.FromSeconds(90));

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(12, status.GetProperty("success_count").GetInt32());
        Assert.All(_sshd.Nodes, node => Assert.Equal(1, SshdFixture.CountLines(node, $"two-{token}.log")));
        var rows = await _first.GetRequiredService<ExecutionStore>().ListNodesAsync(taskId);
        var instances = rows.Select(r => r.Record.Instance).Distinct().ToList();
        Assert.Equal(2, instances.Count);
        Assert.Contains(_first.GetRequiredService<ExecutionInstance>().Id, instances);
        Assert.Contains(_second.GetRequiredService<ExecutionInstance>().Id, instances);
    }
}
