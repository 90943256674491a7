using System.Net;
using System.Text.Json.Nodes;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Workflows;

/// <summary>k8s steps (cordon, drain, uncordon) of workflow runs against the fake Kubernetes API server, through the API.</summary>
[Collection(SshNodesCollection.Name)]
public sealed class WorkflowNodeMaintenanceTests(SshNodes nodes) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web" };
    private WorkflowTestBed _bed = null!;

    private FakeKubeApiServerState Kube => _bed.Kube.State;

    public async Task InitializeAsync() => _bed = await WorkflowTestBed.StartAsync(nodes.Sshd);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Drain_HeldByBudgetThenAllowed_NamesTheBudgetInProgressAndCompletes()
    {
        Kube.AddPod("default", "web-16", "node16", labels: Web, owner: ("ReplicaSet", "web-5d8f"));
        Kube.AddPodDisruptionBudget("default", "web-pdb", Web, minAvailable: 1, refuseTimes: 4);
        var id = await _bed.CreateWorkflowAsync(new { steps = new object[] { new { id = "drain", name = "drain", type = "k8s", action = "drain", timeout = 60 } } });

        var taskId = await _bed.ExecuteAsync(id, ["node16"]);
        var held = await _bed.WaitForAsync(taskId, s => WorkflowTestBed.Step(s, "drain").GetProperty("message").GetString()?.Contains("web-pdb", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(30), "progress naming the budget");
        var status = await _bed.WaitFinalAsync(taskId);

        Assert.Equal("running", WorkflowTestBed.Step(held, "drain").GetProperty("status").GetString());
        Assert.Equal("completed", status.GetProperty("status").GetString());
        var row = WorkflowTestBed.StepNodes(status, "drain")["node16"];
        Assert.Contains("default/web-16", row.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.True(row.GetProperty("cordoned_by_run").GetBoolean());
        Assert.Equal(["default/web-16"], Kube.Evictions);
        Assert.Equal(0, Kube.RefusalsLeft("default", "web-pdb"));
        Assert.True(Unschedulable("node16"));
    }

    [Fact]
    public async Task Drain_BudgetNeverAllows_TimesOutNamingTheBudget_AndLeavesNodeCordoned()
    {
        Kube.AddPod("default", "web-17", "node17", labels: Web, owner: ("ReplicaSet", "web-5d8f"));
        Kube.AddPodDisruptionBudget("default", "strict-pdb", Web, minAvailable: 1, refuseTimes: 100_000);
        var id = await _bed.CreateWorkflowAsync(new { steps = new object[] { new { id = "drain", name = "drain", type = "k8s", action = "drain", timeout = 3 } } });

        var status = await _bed.WaitFinalAsync(await _bed.ExecuteAsync(id, ["node17"]));

        Assert.Equal("failed", status.GetProperty("status").GetString());
        var row = WorkflowTestBed.StepNodes(status, "drain")["node17"];
        Assert.Equal("timeout", row.GetProperty("status").GetString());
        Assert.Contains("strict-pdb", row.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("default/web-17", row.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(Kube.Evictions);
        Assert.True(Unschedulable("node17"));
        Assert.Contains("strict-pdb", status.GetProperty("results")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drain_SkipsDaemonSetAndMirrorPods_RefusesEmptyDirUnlessAllowed()
    {
        Kube.AddDaemonSet("kube-system", "fluentd");
        Kube.AddPod("kube-system", "fluentd-18", "node18", owner: ("DaemonSet", "fluentd"));
        Kube.AddPod("kube-system", "kube-proxy-node18", "node18", owner: ("Node", "node18"), mirror: true);
        Kube.AddPod("default", "cache-18", "node18", owner: ("ReplicaSet", "cache-6b1"), emptyDir: true);
        Kube.AddPod("default", "web-18", "node18", labels: Web, owner: ("ReplicaSet", "web-5d8f"));
        var plain = await _bed.CreateWorkflowAsync(new { steps = new object[] { new { id = "drain", name = "drain", type = "k8s", action = "drain", timeout = 30 } } });
        var allowing = await _bed.CreateWorkflowAsync(new { steps = new object[] { new { id = "drain", name = "drain", type = "k8s", action = "drain", timeout = 30, delete_emptydir_data = true } } });

        var refused = await _bed.WaitFinalAsync(await _bed.ExecuteAsync(plain, ["node18"]));

        Assert.Equal("failed", refused.GetProperty("status").GetString());
        var error = WorkflowTestBed.StepNodes(refused, "drain")["node18"].GetProperty("error").GetString()!;
        Assert.Contains("cache-18", error, StringComparison.Ordinal);
        Assert.Contains("delete_emptydir_data", error, StringComparison.Ordinal);
        Assert.Empty(Kube.Evictions);

        var drained = await _bed.WaitFinalAsync(await _bed.ExecuteAsync(allowing, ["node18"]));

        Assert.Equal("completed", drained.GetProperty("status").GetString());
        Assert.Equal(["default/cache-18", "default/web-18"], Kube.Evictions.Order(StringComparer.Ordinal));
        Assert.NotNull(Kube.GetPod("kube-system", "fluentd-18"));
        Assert.NotNull(Kube.GetPod("kube-system", "kube-proxy-node18"));
        var output = WorkflowTestBed.StepNodes(drained, "drain")["node18"].GetProperty("output").GetString()!;
        Assert.Contains("skipped kube-system/fluentd-18: managed by DaemonSet fluentd", output, StringComparison.Ordinal);
        Assert.Contains("skipped kube-system/kube-proxy-node18: mirror pod", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uncordon_OnlyUncordonsNodesThisRunCordoned()
    {
        Kube.Patch(FakeKubeApiServerResources.Nodes, "", "node20", new JsonObject { ["spec"] = new JsonObject { ["unschedulable"] = true } });
        var id = await _bed.CreateWorkflowAsync(new
        {
            steps = new object[]
            {
                new { id = "cordon", name = "cordon", type = "k8s", action = "cordon" },
                new { id = "work", name = "work", type = "ssh", command = "true", depends_on = new[] { "cordon" } },
                new { id = "uncordon", name = "uncordon", type = "k8s", action = "uncordon", depends_on = new[] { "work" } },
            },
        });

        var status = await _bed.WaitFinalAsync(await _bed.ExecuteAsync(id, ["node19", "node20"]));

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.False(Unschedulable("node19"));
        Assert.True(Unschedulable("node20"));
        var cordon = WorkflowTestBed.StepNodes(status, "cordon");
        Assert.True(cordon["node19"].GetProperty("cordoned_by_run").GetBoolean());
        Assert.False(cordon["node20"].GetProperty("cordoned_by_run").GetBoolean());
        Assert.Contains("保持原状", WorkflowTestBed.StepNodes(status, "uncordon")["node20"].GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.Contains("uncordoned", WorkflowTestBed.StepNodes(status, "uncordon")["node19"].GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_MidDrain_StopsEvictingAndSaysTheNodeStaysCordoned()
    {
        Kube.AddPod("default", "web-21", "node21", labels: Web, owner: ("ReplicaSet", "web-5d8f"));
        Kube.AddPodDisruptionBudget("default", "held-pdb", Web, minAvailable: 1, refuseTimes: 100_000);
        var id = await _bed.CreateWorkflowAsync(new
        {
            steps = new object[]
            {
                new { id = "drain", name = "drain", type = "k8s", action = "drain", timeout = 300 },
                new { id = "after", name = "after", type = "ssh", command = "true", depends_on = new[] { "drain" } },
            },
        });
        var taskId = await _bed.ExecuteAsync(id, ["node21"]);
        await _bed.WaitForAsync(taskId, s => WorkflowTestBed.Step(s, "drain").GetProperty("message").GetString()?.Contains("held-pdb", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(30), "the drain held by the budget");

        (await _bed.User.PostJsonAsync($"{WorkflowTestBed.Path}/cancel/{taskId}", new { })).AssertStatus(HttpStatusCode.OK);
        var status = await _bed.WaitFinalAsync(taskId);
        var attempts = EvictionAttempts();
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal("cancelled", status.GetProperty("status").GetString());
        var row = WorkflowTestBed.StepNodes(status, "drain")["node21"];
        Assert.Equal("cancelled", row.GetProperty("status").GetString());
        Assert.Contains("节点保持 cordon", row.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(attempts, EvictionAttempts());
        Assert.True(Unschedulable("node21"));
        Assert.Null(WorkflowTestBed.NodeStatus(status, "after", "node21"));
        (await _bed.User.PostJsonAsync($"{WorkflowTestBed.Path}/cancel/{taskId}", new { })).AssertError(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FailedRun_LeavesNodesItCordonedCordoned_UnlessUncordonOnFailure(bool uncordonOnFailure)
    {
        var id = await _bed.CreateWorkflowAsync(new
        {
            uncordon_on_failure = uncordonOnFailure,
            steps = new object[]
            {
                new { id = "cordon", name = "cordon", type = "k8s", action = "cordon" },
                new { id = "upgrade", name = "upgrade", type = "ssh", command = "exit 7", depends_on = new[] { "cordon" } },
                new { id = "uncordon", name = "uncordon", type = "k8s", action = "uncordon", depends_on = new[] { "upgrade" } },
            },
        });

        var status = await _bed.WaitFinalAsync(await _bed.ExecuteAsync(id, ["node23"]));

        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal(!uncordonOnFailure, Unschedulable("node23"));
        var message = status.GetProperty("results")[0].GetProperty("message").GetString()!;
        Assert.Contains("upgrade", message, StringComparison.Ordinal);
        Assert.Contains(uncordonOnFailure ? "uncordon_on_failure" : "节点保持 cordon", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisableEviction_IsAdminOnly_AndDeletesPodsBypassingTheBudget()
    {
        Kube.AddPod("default", "web-22", "node22", labels: Web, owner: ("ReplicaSet", "web-5d8f"));
        Kube.AddPodDisruptionBudget("default", "bypassed-pdb", Web, minAvailable: 1, refuseTimes: 100_000);
        var id = await _bed.CreateWorkflowAsync(new { steps = new object[] { new { id = "drain", name = "drain", type = "k8s", action = "drain", timeout = 30, disable_eviction = true } } });
        var body = new { workflow_id = id, cluster_name = "test", target_nodes = new[] { "node22" }, credential_id = 1 };

        (await _bed.User.PostJsonAsync(WorkflowTestBed.Path + "/execute", body)).AssertError(HttpStatusCode.Forbidden);
        using var admin = await _bed.Host.ClientAsync(Role.Admin);
        var status = await _bed.WaitFinalAsync(await _bed.ExecuteAsync(id, ["node22"], client: admin));

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(["default/web-22"], Kube.Deletions);
        Assert.Empty(Kube.Evictions);
        var audit = await _bed.Host.GetRequiredService<NodeOps.Audit.AuditLog>().ListAsync("workflows", 10);
        Assert.Contains(audit, e => e.Action == "disable_eviction" && e.Details.Contains("node22", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Execute_WorkflowThatCannotRun_Answers422NamingStepAndField()
    {
        _bed.Catalog.AddPlaybook(502, "soon gone", "- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.builtin.ping:\n");
        var ansible = await _bed.CreateWorkflowAsync(new { steps = new object[] { new { id = "upgrade", name = "upgrade", type = "ansible", playbook_id = 502 } } });
        _bed.Catalog.Playbooks.Remove(502);
        var k8s = await _bed.CreateWorkflowAsync(new { steps = new object[] { new { id = "check", name = "check", type = "ssh", command = "true" }, new { id = "cordon", name = "cordon", type = "k8s", action = "cordon" } } });

        var missing = (await _bed.User.PostJsonAsync(WorkflowTestBed.Path + "/execute", new { workflow_id = ansible, cluster_name = "test", target_nodes = new[] { "node23" }, credential_id = 1 }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "definition.steps[0].playbook_id");
        Assert.Contains("upgrade", missing.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        var noKube = (await _bed.User.PostJsonAsync(WorkflowTestBed.Path + "/execute", new { workflow_id = k8s, cluster_name = "nokube", target_nodes = new[] { "node23" }, credential_id = 1 }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "definition.steps[1].action");
        Assert.Contains("cordon", noKube.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        (await _bed.User.PostJsonAsync(WorkflowTestBed.Path + "/execute", new { workflow_id = k8s, cluster_name = "test", target_nodes = new[] { "node99" }, credential_id = 1 }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "target_nodes");
        Kube.Delete(FakeKubeApiServerResources.Nodes, "", "node24");
        var notInKube = (await _bed.User.PostJsonAsync(WorkflowTestBed.Path + "/execute", new { workflow_id = k8s, cluster_name = "test", target_nodes = new[] { "node23", "node24" }, credential_id = 1 }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "target_nodes");
        Assert.Contains("node24", notInKube.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        (await _bed.User.PostJsonAsync(WorkflowTestBed.Path + "/execute", new { cluster_name = "test", target_nodes = new[] { "node23" }, credential_id = 1 }))
            .AssertError(HttpStatusCode.BadRequest, "workflow_id");
        (await _bed.User.PostJsonAsync(WorkflowTestBed.Path + "/execute", new { workflow_id = 999_999, cluster_name = "test", target_nodes = new[] { "node23" }, credential_id = 1 }))
            .AssertError(HttpStatusCode.NotFound);
    }

    private bool Unschedulable(string node) => Kube.GetNode(node)?["spec"]?["unschedulable"]?.GetValue<bool>() == true;

    private int EvictionAttempts() => _bed.Kube.Requests.Count(r => r.Method == "POST" && r.PathAndQuery.Contains("/eviction", StringComparison.Ordinal));
}
