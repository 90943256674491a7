using Microsoft.Extensions.DependencyInjection;
using NodeOps.Kubernetes;
using NodeOps.Kubernetes.Nodes;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Kubernetes;

/// <summary>The fake API server is only useful if the real kubectl accepts it; these run kubectl v1.32 against it.</summary>
public sealed class FakeKubeApiServerFidelityTests : IAsyncLifetime
{
    private FakeKubeApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubeApiServer.StartAsync();
        var state = _server.State;
        state.AddNamespace("default");
        state.AddNamespace("kube-system");
        state.AddNode("node-1", labels: new Dictionary<string, string> { ["node-role.kubernetes.io/control-plane"] = "" }, internalIp: "10.0.0.11");
        state.AddNode("node-2", internalIp: "10.0.0.12");
        state.AddNode("node-3", ready: false, internalIp: "10.0.0.13");
        state.AddPod("default", "web-1", "node-2", labels: new Dictionary<string, string> { ["app"] = "web" }, owner: ("ReplicaSet", "web-5d8f"));
        state.AddPod("default", "web-2", "node-3", labels: new Dictionary<string, string> { ["app"] = "web" }, owner: ("ReplicaSet", "web-5d8f"));
        state.AddPod("kube-system", "coredns-1", "node-1", restarts: 2);
        state.AddPod("kube-system", "done-job", "node-2", phase: "Succeeded");
        state.AddEvent("default", "Node", "node-2", "NodeReady", "Node node-2 status is now: NodeReady");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetNodes_PrintsServerSideTable()
    {
        var result = await FakeKubeApiServerKubectl.RunAsync(_server.Kubeconfig(), "get", "nodes");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$", lines[0]);
        Assert.Matches(@"^node-1\s+Ready\s+control-plane\s+\S+\s+v1\.32\.4$", lines[1]);
        Assert.Matches(@"^node-3\s+NotReady\s+<none>", lines[3]);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public async Task GetPodsAllNamespaces_ShowsNamespaceColumnAndEveryPod()
    {
        var result = await FakeKubeApiServerKubectl.RunAsync(_server.Kubeconfig(), "get", "pods", "-A");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^kube-system\s+coredns-1\s+1/1\s+Running\s+2\s"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^default\s+web-1\s+1/1\s+Running\s+0\s"));
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public async Task GetPodsWide_InNamespace_ShowsNodeColumn()
    {
        var result = await FakeKubeApiServerKubectl.RunAsync(_server.Kubeconfig(), "get", "pods", "-n", "default", "-o", "wide");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Matches(@"web-2\s+1/1\s+Running\s+0\s+\S+\s+\S+\s+node-3", result.Stdout);
    }

    [Fact]
    public async Task DescribeNode_ListsItsNonTerminatedPodsAndEvents()
    {
        var result = await FakeKubeApiServerKubectl.RunAsync(_server.Kubeconfig(), "describe", "node", "node-2");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Name:               node-2", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("InternalIP:  10.0.0.12", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Non-terminated Pods:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("web-1", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("done-job", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("NodeReady", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(_server.Requests, r => r.PathAndQuery.Contains("fieldSelector=spec.nodeName%3Dnode-2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cordon_PatchesNodeUnschedulable_AndUncordonReverts()
    {
        var cordon = await FakeKubeApiServerKubectl.RunAsync(_server.Kubeconfig(), "cordon", "node-2");

        Assert.True(cordon.ExitCode == 0, cordon.Stderr);
        Assert.Contains("node/node-2 cordoned", cordon.Stdout, StringComparison.Ordinal);
        Assert.True(_server.State.GetNode("node-2")!["spec"]!["unschedulable"]!.GetValue<bool>());
        Assert.Contains(_server.Requests, r => r.Method == "PATCH" && r.ContentType.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal));
        var listed = await FakeKubeApiServerKubectl.RunAsync(_server.Kubeconfig(), "get", "node", "node-2");
        Assert.Matches(@"node-2\s+Ready,SchedulingDisabled", listed.Stdout);

        var uncordon = await FakeKubeApiServerKubectl.RunAsync(_server.Kubeconfig(), "uncordon", "node-2");

        Assert.True(uncordon.ExitCode == 0, uncordon.Stderr);
        Assert.Null(_server.State.GetNode("node-2")!["spec"]!["unschedulable"]);
    }

    [Fact]
    public async Task Drain_EvictsPods_AndPodDisruptionBudgetBlocksTheLastHealthyReplica()
    {
        _server.State.AddPodDisruptionBudget("default", "web-pdb", new Dictionary<string, string> { ["app"] = "web" }, minAvailable: 2);

        var drain = await FakeKubeApiServerKubectl.RunAsync(_server.Kubeconfig(), "drain", "node-2", "--ignore-daemonsets", "--timeout=3s");

        Assert.NotEqual(0, drain.ExitCode);
        Assert.True(drain.Stdout.Contains("disruption budget", StringComparison.Ordinal) || drain.Stderr.Contains("disruption budget", StringComparison.Ordinal), drain.Stdout + "\n---\n" + drain.Stderr);
        Assert.NotNull(_server.State.GetPod("default", "web-1"));
        Assert.Contains("kube-system/done-job", _server.State.Evictions);
    }

    [Fact]
    public async Task KubectlDrain_AndNodeOpsDrain_EvictTheSamePods_SkippingDaemonSetAndMirrorPods_ThroughARefusingBudget()
    {
        await using var forKubectl = await FakeKubeApiServer.StartAsync();
        await using var forNodeOps = await FakeKubeApiServer.StartAsync();
        foreach (var server in new[] { forKubectl, forNodeOps })
        {
            DrainSeed.Seed(server.State);
            server.State.AddPodDisruptionBudget("default", "web-pdb", DrainSeed.Web, refuseTimes: 1);
            server.State.TerminationReads = 2;
        }

        var kubectl = await FakeKubeApiServerKubectl.RunAsync(forKubectl.Kubeconfig(), "drain", "node-a", "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--timeout=90s");
        using var clients = new KubernetesClients(new ServiceCollection().BuildServiceProvider());
        using var api = clients.Open("c", forNodeOps.Kubeconfig());
        await NodeCordon.CordonAsync(api, "node-a");
        var nodeOps = await new NodeDrainer(TimeProvider.System).DrainAsync(api, "node-a",
            new DrainOptions { Force = true, DeleteEmptyDirData = true, RetryDelay = TimeSpan.FromMilliseconds(100), PollInterval = TimeSpan.FromMilliseconds(100) });

        Assert.True(kubectl.ExitCode == 0, kubectl.Stdout + "\n---\n" + kubectl.Stderr);
        Assert.Contains("node/node-a drained", kubectl.Stdout, StringComparison.Ordinal);
        Assert.Contains("ignoring DaemonSet-managed Pods: kube-system/fluentd-a", kubectl.Stderr + kubectl.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("deleting Pods that declare no controller: default/bare", kubectl.Stderr + kubectl.Stdout, StringComparison.Ordinal);
        Assert.True(nodeOps.Succeeded, nodeOps.Error);
        Assert.Equal(DrainSeed.EvictedWithForce, forKubectl.State.Evictions.Order());
        Assert.Equal(forKubectl.State.Evictions.Order(), forNodeOps.State.Evictions.Order());
        Assert.Equal(0, forKubectl.State.RefusalsLeft("default", "web-pdb"));
        foreach (var server in new[] { forKubectl, forNodeOps })
        {
            Assert.True(server.State.GetNode("node-a")!["spec"]!["unschedulable"]!.GetValue<bool>());
            Assert.NotNull(server.State.GetPod("kube-system", "fluentd-a"));
            Assert.NotNull(server.State.GetPod("kube-system", "kube-proxy-node-a"));
            Assert.Null(server.State.GetPod("default", "web-1"));
        }
    }

    [Fact]
    public async Task KubectlDrain_WithoutForce_RefusesTheSamePodsAsNodeOps()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        DrainSeed.Seed(server.State);

        var kubectl = await FakeKubeApiServerKubectl.RunAsync(server.Kubeconfig(), "drain", "node-a", "--ignore-daemonsets", "--timeout=30s");

        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("cannot delete Pods with local storage", kubectl.Stderr, StringComparison.Ordinal);
        Assert.Contains("default/cache-1", kubectl.Stderr, StringComparison.Ordinal);
        Assert.Contains("default/bare", kubectl.Stderr, StringComparison.Ordinal);
        Assert.Empty(server.State.Evictions);
    }

    [Fact]
    public async Task Forbidden_IsReportedByKubectlAsForbidden()
    {
        _server.Forbid("pods", "kube-system");

        var result = await FakeKubeApiServerKubectl.RunAsync(_server.Kubeconfig(), "get", "pods", "-n", "kube-system");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error from server (Forbidden): pods is forbidden", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_WithTokenAndCa_AndClientCertificate_AreAccepted()
    {
        await using var secure = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { Tls = true, BearerToken = "secret-token", ClientCertificates = true });
        secure.State.AddNode("tls-node");

        var withToken = await FakeKubeApiServerKubectl.RunAsync(secure.Kubeconfig(), "get", "nodes");
        var withCert = await FakeKubeApiServerKubectl.RunAsync(secure.Kubeconfig(withClientCertificate: true, token: ""), "get", "nodes");
        var wrongToken = await FakeKubeApiServerKubectl.RunAsync(secure.Kubeconfig(token: "wrong"), "get", "nodes");

        Assert.True(withToken.ExitCode == 0, withToken.Stderr);
        Assert.Contains("tls-node", withToken.Stdout, StringComparison.Ordinal);
        Assert.True(withCert.ExitCode == 0, withCert.Stderr);
        Assert.Contains(secure.Requests, r => r.User == "cert:nodeops-test");
        Assert.NotEqual(0, wrongToken.ExitCode);
        Assert.True(wrongToken.Stderr.Contains("provide credentials", StringComparison.Ordinal), wrongToken.Stderr);
    }
}
