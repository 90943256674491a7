using System.Text.Json.Nodes;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Workflows;

/// <summary>
/// The built-in "节点维护" workflow end to end on the fake Kubernetes API server and real sshd nodes. Two stand-ins keep
/// the test machine safe: the upgrade step runs a harmless fixture playbook instead of the package upgrade, and the
/// reboot command writes a new fake boot id into the node's folder, while a kubelet stand-in flips the Kubernetes node
/// NotReady, then Ready with that boot id.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class BuiltInMaintenanceWorkflowTests(SshNodes nodes) : IAsyncLifetime
{
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];
    private readonly CancellationTokenSource _stop = new();
    private WorkflowTestBed _bed = null!;
    private Task _kubelet = Task.CompletedTask;

    private string BootIdFile => $"boot_id-{_token}";

    public async Task InitializeAsync()
    {
        _bed = await WorkflowTestBed.StartAsync(nodes.Sshd, new Dictionary<string, string?>
        {
            ["Workflows:RebootCommand"] = $"cat /proc/sys/kernel/random/uuid > \"$NODEOPS_NODE_DIR/{BootIdFile}\"",
            ["Workflows:BootIdCommand"] = $"cat \"$NODEOPS_NODE_DIR/{BootIdFile}\" 2>/dev/null || echo first-boot",
        });
        _kubelet = KubeletStandInAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _kubelet;
        _stop.Dispose();
        await _bed.DisposeAsync();
    }

    [Fact]
    public async Task NodeMaintenance_RollsOneNodeAtATimeThroughCordonDrainUpgradeRebootWaitReadyUncordon()
    {
        var kube = _bed.Kube.State;
        var web = new Dictionary<string, string> { ["app"] = "web" };
        kube.AddDaemonSet("kube-system", "fluentd");
        kube.AddPod("default", "web-9", "node9", labels: web, owner: ("ReplicaSet", "web-5d8f"));
        kube.AddPod("default", "web-10", "node10", labels: web, owner: ("ReplicaSet", "web-5d8f"));
        kube.AddPod("kube-system", "fluentd-9", "node9", owner: ("DaemonSet", "fluentd"));
        kube.AddPodDisruptionBudget("default", "web-pdb", web, minAvailable: 1, refuseTimes: 2);
        var bootIds = new[] { kube.BootId("node9"), kube.BootId("node10") };
        var id = await CopyOfBuiltInAsync();

        var taskId = await _bed.ExecuteAsync(id, ["node9", "node10"]);
        var status = await _bed.WaitFinalAsync(taskId, TimeSpan.FromMinutes(4));

        Assert.True(status.GetProperty("status").GetString() == "completed", status.ToString());
        Assert.Equal(["cordon", "drain", "upgrade", "reboot", "wait_ready", "uncordon"],
            status.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToArray());
        Assert.All(status.GetProperty("steps").EnumerateArray(), s => Assert.Equal("completed", s.GetProperty("status").GetString()));
        Assert.Equal(["default/web-9", "default/web-10"], kube.Evictions);
        Assert.NotNull(kube.GetPod("kube-system", "fluentd-9"));
        foreach (var (node, i) in new[] { ("node9", 0), ("node10", 1) })
        {
            Assert.False(kube.GetNode(node)!["spec"]!["unschedulable"]?.GetValue<bool>() == true, node + " was left cordoned");
            Assert.NotEqual(bootIds[i], kube.BootId(node));
            Assert.Contains("first-boot -> ", WorkflowTestBed.StepNodes(status, "reboot")[node].GetProperty("output").GetString(), StringComparison.Ordinal);
            Assert.Equal("success", WorkflowTestBed.NodeStatus(status, "upgrade", node));
        }

        // Batch of one: node9 is uncordoned before node10 is cordoned, so one node at most is out of service.
        var patches = _bed.Kube.Requests.Select((r, i) => (r, i)).Where(x => x.r.Method == "PATCH" && x.r.PathAndQuery.StartsWith("/api/v1/nodes/", StringComparison.Ordinal)).ToList();
        var lastNode9 = patches.Last(p => p.r.PathAndQuery.StartsWith("/api/v1/nodes/node9", StringComparison.Ordinal)).i;
        var firstNode10 = patches.First(p => p.r.PathAndQuery.StartsWith("/api/v1/nodes/node10", StringComparison.Ordinal)).i;
        Assert.True(lastNode9 < firstNode10, "node10 was cordoned before node9 was back in service");
        Assert.Equal(4, patches.Count);
    }

    /// <summary>The built-in definition as seeded, with the upgrade step pointed at the harmless fixture playbook.</summary>
    private async Task<long> CopyOfBuiltInAsync()
    {
        using var viewer = await _bed.Host.ClientAsync(Role.Viewer);
        var list = (await viewer.GetApiAsync(WorkflowTestBed.Path + "?is_builtin=true")).AssertStatus(System.Net.HttpStatusCode.OK).Data;
        var builtIn = list.GetProperty("workflows").EnumerateArray().Single(w => w.GetProperty("name").GetString() == "节点维护").GetProperty("id").GetInt64();
        var detail = (await viewer.GetApiAsync($"{WorkflowTestBed.Path}/{builtIn}")).AssertStatus(System.Net.HttpStatusCode.OK).Data;
        var definition = JsonNode.Parse(detail.GetProperty("definition").GetRawText())!.AsObject();
        var upgrade = definition["steps"]!.AsArray().Single(s => s!["type"]!.GetValue<string>() == "ansible")!;
        upgrade["playbook_id"] = WorkflowTestBed.PlaybookId;
        return await _bed.CreateWorkflowAsync(definition);
    }

    /// <summary>When a node's fake boot id changes, its Kubernetes node goes NotReady for a moment, then Ready with that boot id.</summary>
    private async Task KubeletStandInAsync(CancellationToken stop)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        while (!stop.IsCancellationRequested)
        {
            foreach (var node in nodes.Sshd.Nodes)
            {
                var file = System.IO.Path.Combine(node.Folder, BootIdFile);
                var bootId = File.Exists(file) ? File.ReadAllText(file).Trim() : "";
                if (bootId.Length == 0 || seen.GetValueOrDefault(node.Name) == bootId)
                {
                    continue;
                }

                seen[node.Name] = bootId;
                _bed.Kube.State.SetNodeReady(node.Name, false);
                await Task.Delay(600, CancellationToken.None);
                _bed.Kube.State.SetNodeReady(node.Name, true, bootId);
            }

            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
