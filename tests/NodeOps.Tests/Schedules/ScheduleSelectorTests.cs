using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.Executions;
using NodeOps.Tests.TestBed;
using static NodeOps.Tests.Schedules.ScheduleTestKit;

namespace NodeOps.Tests.Schedules;

/// <summary>
/// target.nodes_selector at fire time, on a cluster and credential made through the API: reboot_required checks the
/// sentinel file on real sshd nodes (a file in each node's temp folder, never the machine's /var/run/reboot-required),
/// and label asks the cluster's Kubernetes API (the fake API server) for the labelled nodes.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class ScheduleSelectorTests(SshNodes nodes) : IAsyncLifetime
{
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];
    private TestHost _host = null!;
    private HttpClient _admin = null!;
    private FakeKubeApiServer _kube = null!;
    private long _credential;

    private SshdNode[] Picked => [.. nodes.Sshd.Nodes.Skip(16).Take(3)];

    private string Sentinel => $"reboot-required-{_token}";

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>(ManualSettings) { ["Schedules:RebootSentinelPath"] = "$NODEOPS_NODE_DIR/" + Sentinel };
        _host = await TestHost.StartAsync(settings);
        _admin = await _host.ClientAsync(Role.Admin);
        _kube = await FakeKubeApiServer.StartAsync();
        var credential = await _admin.PostJsonAsync("/api/v1/automation/credentials", new
        {
            name = "sched-key",
            username = nodes.Sshd.User,
            auth_type = "private_key",
            private_key = nodes.Sshd.ClientPrivateKey,
        });
        credential.AssertStatus(HttpStatusCode.Created);
        _credential = credential.Data.GetProperty("id").GetInt64();
        (await _admin.PostJsonAsync("/api/v1/clusters", new
        {
            name = "maint",
            nodes = Picked.Select(n => new { name = n.Name, address = n.Address, port = n.Port }).ToArray(),
            default_credential_id = _credential,
            kubeconfig = _kube.Kubeconfig(),
        })).AssertStatus(HttpStatusCode.Created);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in Picked)
        {
            File.Delete(Path.Combine(node.Folder, Sentinel));
        }

        _admin.Dispose();
        await _host.DisposeAsync();
        await _kube.DisposeAsync();
    }

    private object Body(object selector, string tag) => new
    {
        name = "kured-like",
        cron = "0 3 * * *",
        target = new
        {
            type = "ssh",
            cluster_name = "maint",
            nodes_selector = selector,
            credential_id = _credential,
            command = $"echo {tag} >> \"$NODEOPS_NODE_DIR/{_token}-{tag}.log\"",
            timeout = 60,
        },
    };

    private async Task<System.Text.Json.JsonElement> RunNowAsync(long id)
    {
        var response = await _admin.PostJsonAsync($"{SchedulesPath}/{id}/run-now", new { });
        response.AssertStatus(HttpStatusCode.OK);
        return response.Data;
    }

    [Fact]
    public async Task RebootRequired_RunsOnlyOnNodesWithTheSentinel()
    {
        File.WriteAllText(Path.Combine(Picked[0].Folder, Sentinel), "");
        File.WriteAllText(Path.Combine(Picked[2].Folder, Sentinel), "");
        var id = (await CreateAsync(_admin, Body(new { reboot_required = true }, "reboot"))).GetProperty("id").GetInt64();

        var run = await RunNowAsync(id);

        Assert.Equal("started", run.GetProperty("status").GetString());
        Assert.Equal([Picked[0].Name, Picked[2].Name], run.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
        var status = await ExecutionApiClient.WaitForFinalAsync(_admin, "ssh", run.GetProperty("task_id").GetString()!);
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(1, SshdFixture.CountLines(Picked[0], $"{_token}-reboot.log"));
        Assert.Equal(0, SshdFixture.CountLines(Picked[1], $"{_token}-reboot.log"));
        Assert.Equal(1, SshdFixture.CountLines(Picked[2], $"{_token}-reboot.log"));

        // Once no node needs a reboot, the due time is recorded as skipped, with nothing started.
        File.Delete(Path.Combine(Picked[0].Folder, Sentinel));
        File.Delete(Path.Combine(Picked[2].Folder, Sentinel));
        await Task.Delay(1100);
        var none = await RunNowAsync(id);
        Assert.Equal("skipped_no_nodes", none.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, none.GetProperty("task_id").ValueKind);
    }

    [Fact]
    public async Task Label_RunsOnTheKubernetesNodesWithThatLabel()
    {
        _kube.State.AddNode(Picked[0].Name, labels: new Dictionary<string, string> { ["pool"] = "other" });
        _kube.State.AddNode(Picked[1].Name, labels: new Dictionary<string, string> { ["pool"] = "maint" });
        _kube.State.AddNode("not-in-the-cluster", labels: new Dictionary<string, string> { ["pool"] = "maint" });
        var id = (await CreateAsync(_admin, Body(new { label = "pool=maint" }, "label"))).GetProperty("id").GetInt64();

        var run = await RunNowAsync(id);

        Assert.Equal("started", run.GetProperty("status").GetString());
        Assert.Equal([Picked[1].Name], run.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
        await ExecutionApiClient.WaitForFinalAsync(_admin, "ssh", run.GetProperty("task_id").GetString()!);
        Assert.Equal(0, SshdFixture.CountLines(Picked[0], $"{_token}-label.log"));
        Assert.Equal(1, SshdFixture.CountLines(Picked[1], $"{_token}-label.log"));
        Assert.Contains(_kube.Requests, r => r.PathAndQuery.Contains("labelSelector=pool", StringComparison.Ordinal));
    }
}
