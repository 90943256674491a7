using System.Collections.Concurrent;
using NodeOps.Kubernetes;
using NodeOps.Kubernetes.Nodes;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Kubernetes;

/// <summary>Cordon, uncordon-only-what-we-cordoned, waiting for Ready (and a new boot id), and matching nodes by name or InternalIP.</summary>
public sealed class NodeCordonAndReadinessTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<NodeProgress> _progress = new();
    private FakeCluster _cluster = null!;

    private FakeKubeApiServer Server => _cluster.Server;

    private IKubernetesApi Api => _cluster.Api;

    public async Task InitializeAsync() => _cluster = await FakeCluster.StartAsync(state =>
    {
        state.AddNode("node-a", internalIp: "10.0.0.21");
        state.AddNode("node-b", unschedulable: true, internalIp: "10.0.0.22");
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Cordon_ThenUncordon_UsesStrategicMergePatches_AndRestoresTheNode()
    {
        var cordoned = await NodeCordon.CordonAsync(Api, "node-a", _progress.Enqueue);
        var whileCordoned = Server.State.GetNode("node-a")!["spec"]!["unschedulable"]!.GetValue<bool>();
        var uncordoned = await NodeCordon.UncordonAsync(Api, cordoned, _progress.Enqueue);

        Assert.False(cordoned.WasAlreadyUnschedulable);
        Assert.True(whileCordoned);
        Assert.True(uncordoned.Uncordoned);
        Assert.Null(Server.State.GetNode("node-a")!["spec"]!["unschedulable"]);
        var patches = Server.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal(2, patches.Count);
        Assert.All(patches, p => Assert.StartsWith("application/strategic-merge-patch+json", p.ContentType, StringComparison.Ordinal));
        Assert.Equal("{\"spec\":{\"unschedulable\":true}}", patches[0].Body);
        Assert.Equal("{\"spec\":{\"unschedulable\":null}}", patches[1].Body);
    }

    [Fact]
    public async Task NodeCordonedBeforeTheRun_IsRecorded_AndLeftCordoned()
    {
        var cordoned = await NodeCordon.CordonAsync(Api, "node-b", _progress.Enqueue);
        var uncordon = await NodeCordon.UncordonAsync(Api, cordoned, _progress.Enqueue);

        Assert.True(cordoned.WasAlreadyUnschedulable);
        Assert.False(uncordon.Uncordoned);
        Assert.Contains("left cordoned", uncordon.Message, StringComparison.Ordinal);
        Assert.True(Server.State.GetNode("node-b")!["spec"]!["unschedulable"]!.GetValue<bool>());
        Assert.DoesNotContain(Server.Requests, r => r.Method == "PATCH");
        Assert.Contains(_progress, p => p.Stage == "uncordon" && p.Message.Contains("before this run", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cordon_UnknownNode_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => NodeCordon.CordonAsync(Api, "ghost"));

        Assert.Equal(404, error.StatusCode);
    }

    [Fact]
    public async Task WaitReady_NodeGoingNotReadyThenReady_ReturnsOnceReady()
    {
        Server.State.CueNodeStates("node-a", (false, null), (false, null), (true, null));

        var result = await new NodeReadiness(TimeProvider.System).WaitReadyAsync(Api, "node-a", TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(50), progress: _progress.Enqueue);

        Assert.True(result.Ready);
        Assert.Equal(3, Server.Requests.Count(r => r.PathAndQuery == "/api/v1/nodes/node-a"));
        Assert.Contains(_progress, p => p.Message.StartsWith("Ready=Unknown (NodeStatusUnknown)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WaitReady_AfterReboot_NeedsANewBootIdAsWellAsReady()
    {
        var before = Server.State.BootId("node-a");
        Server.State.CueNodeStates("node-a", (true, null), (false, "boot-2"), (true, "boot-2"));

        var result = await new NodeReadiness(TimeProvider.System).WaitReadyAsync(Api, "node-a", TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(50), before, _progress.Enqueue);

        Assert.True(result.Ready);
        Assert.Equal("boot-2", result.BootId);
        Assert.Contains(_progress, p => p.Message.Contains("boot id unchanged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WaitReady_NeverReady_EndsAtTheTimeout_WithTheLastCondition()
    {
        Server.State.SetNodeReady("node-a", false);

        var result = await new NodeReadiness(TimeProvider.System).WaitReadyAsync(Api, "node-a", TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(50));

        Assert.False(result.Ready);
        Assert.Equal("Unknown", result.LastStatus);
        Assert.Equal("NodeStatusUnknown", result.LastReason);
    }

    [Fact]
    public async Task Match_ByNameFirst_ThenByInternalIp()
    {
        var matches = await NodeMatcher.MatchAsync(Api, [("node-a", "10.9.9.9"), ("worker-22", "10.0.0.22"), ("unknown", "10.1.1.1"), ("nameless", null)]);

        Assert.Equal("node-a", matches["node-a"]!.Name);
        Assert.Equal("node-b", matches["worker-22"]!.Name);
        Assert.Null(matches["unknown"]);
        Assert.Null(matches["nameless"]);
    }
}
