using System.Net;
using System.Text.Json;
using NodeOps.Auth;
using NodeOps.Executions;
using NodeOps.Tests.Api;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

/// <summary>
/// Two NodeOps instances on one Azurite (table store and Durable Task hub) share executions: every node runs
/// exactly once and both instances take part; a cancel sent to either instance stops the nodes running on both;
/// Ansible's max_concurrent holds across the two.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TwoInstanceTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string _runs = Directory.CreateTempSubdirectory("nodeops-two-ansible-").FullName;
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
            ["Executions:MaxConcurrentLanes"] = "3",
            ["Orchestration:MaxPollInterval"] = "00:00:00.500",
            ["Orchestration:PartitionCount"] = "2",
            ["Ansible:AdmissionRetry"] = "00:00:00.300",
        };
        var catalog = FixtureCatalog.For(_sshd, "shared").AddPlaybook(AnsiblePlaybooks.Sleep, "长任务", AnsiblePlaybooks.SleepYaml);
        _first = await TestHost.StartAsync(settings, configureServices: catalog.Register);
        _second = await TestHost.StartAsync(settings, configureServices: catalog.Register);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _sshd.DisposeAsync();
        Directory.Delete(_runs, recursive: true);
    }

    [Fact]
    public async Task OneExecution_TwoInstances_EveryNodeRunsExactlyOnce()
    {
        var token = Guid.NewGuid().ToString("N")[..10];
        using var client = await _first.ClientAsync(Role.User);
        var taskId = await StartOnEveryNodeAsync(client, $"echo run >> \"$NODEOPS_NODE_DIR/two-{token}.log\"; sleep 1");

        var status = await ExecutionApiClient.WaitForFinalAsync(client, "ssh", taskId, TimeSpan.FromSeconds(120));

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(12, status.GetProperty("success_count").GetInt32());
        Assert.All(_sshd.Nodes, node => Assert.Equal(1, SshdFixture.CountLines(node, $"two-{token}.log")));
        await AssertBothInstancesRanNodesAsync(taskId);
    }

    [Fact]
    public async Task Cancel_SentToTheOtherInstance_StopsTheNodesRunningOnBoth()
    {
        var marker = "nodeops-two-cancel-" + Guid.NewGuid().ToString("N")[..10];
        using var onFirst = await _first.ClientAsync(Role.User);
        using var onSecond = await OnSecondAsync(onFirst);
        var taskId = await StartOnEveryNodeAsync(onFirst, $"sleep 600; echo {marker}");
        await ExecutionApiClient.WaitForAsync(onFirst, "ssh", taskId,
            s => s.GetProperty("counts").GetProperty("running").GetInt32() == 12 && SshdFixture.ProcessesWithCommandLine(marker).Count == 12,
            TimeSpan.FromSeconds(90), "every node running");
        await AssertBothInstancesRanNodesAsync(taskId);

        (await onSecond.PostJsonAsync($"/api/v1/automation/ssh/cancel/{taskId}", new { })).AssertStatus(HttpStatusCode.OK);
        var status = await ExecutionApiClient.WaitForFinalAsync(onFirst, "ssh", taskId, TimeSpan.FromSeconds(90));

        Assert.Equal("cancelled", status.GetProperty("status").GetString());
        Assert.All(status.GetProperty("results").EnumerateArray(), r => Assert.Equal("cancelled", r.GetProperty("status").GetString()));
        // The remote commands would sleep 600 s: none left proves both instances stopped theirs.
        await SshExecutionApiTests.AssertNoProcessAsync(marker);
    }

    [Fact]
    public async Task AnsibleMaxConcurrent_HoldsAcrossBothInstances()
    {
        using var admin = await _first.ClientAsync(Role.Admin);
        (await admin.PutJsonAsync("/api/v1/features/automation/ansible", AnsibleApiClient.Settings(_runs, maxConcurrent: 1))).AssertStatus(HttpStatusCode.OK);
        // Both instances read the settings from the shared store; the second one's cache must have expired.
        await Task.Delay(NodeOps.Features.FeatureService.CacheFor * 2);
        using var onFirst = await _first.ClientAsync(Role.User);
        using var onSecond = await OnSecondAsync(onFirst);
        var runs = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            runs.Add(await AnsibleApiClient.RunAsync(i % 2 == 0 ? onFirst : onSecond, new
            {
                playbook_id = AnsiblePlaybooks.Sleep,
                cluster_name = "shared",
                target_nodes = new[] { _sshd.Nodes[i].Name },
                credential_id = FixtureCatalog.KeyCredentialId,
                extra_vars = new { seconds = 2 },
            }));
        }

        var statuses = new List<JsonElement>();
        foreach (var taskId in runs)
        {
            statuses.Add(await AnsibleApiClient.WaitForFinalAsync(onFirst, taskId, TimeSpan.FromSeconds(180)));
        }

        Assert.All(statuses, s => Assert.Equal("completed", s.Status()));
        var spans = statuses.Select(s => s.GetProperty("results")[0])
            .Select(r => (Start: r.GetProperty("start_time").GetDateTimeOffset(), End: r.GetProperty("end_time").GetDateTimeOffset()))
            .OrderBy(s => s.Start)
            .ToList();
        for (var i = 1; i < spans.Count; i++)
        {
            Assert.True(spans[i].Start >= spans[i - 1].End, $"run {i} started at {spans[i].Start:O}, before run {i - 1} ended at {spans[i - 1].End:O}");
        }
    }

    /// <summary>The user <paramref name="onFirst"/> is signed in as, signed in on the second instance (the users are shared).</summary>
    private async Task<HttpClient> OnSecondAsync(HttpClient onFirst)
    {
        var client = new HttpClient { BaseAddress = _second.BaseAddress, Timeout = onFirst.Timeout };
        client.DefaultRequestHeaders.Authorization = new("Bearer", await _second.LoginAsync("test-user", "password-test-user"));
        return client;
    }

    private Task<string> StartOnEveryNodeAsync(HttpClient client, string command) => ExecutionApiClient.StartAsync(client, "ssh", new
    {
        cluster_name = "shared",
        target_nodes = _sshd.Nodes.Select(n => n.Name).ToArray(),
        credential_id = 1,
        command,
        max_concurrent = 12,
    });

    private async Task AssertBothInstancesRanNodesAsync(string taskId)
    {
        var rows = await _first.GetRequiredService<ExecutionStore>().ListNodesAsync(taskId);
        var instances = rows.Select(r => r.Record.Instance).Distinct().ToList();
        Assert.Equal(2, instances.Count);
        Assert.Contains(_first.GetRequiredService<ExecutionInstance>().Id, instances);
        Assert.Contains(_second.GetRequiredService<ExecutionInstance>().Id, instances);
    }
}
