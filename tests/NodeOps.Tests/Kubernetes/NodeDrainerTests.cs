using System.Collections.Concurrent;
using NodeOps.Kubernetes;
using NodeOps.Kubernetes.Nodes;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Kubernetes;

/// <summary>Drains through KubernetesClient against the fake API server: filters, evictions, budgets, waiting, timeouts, cancel.</summary>
public sealed class NodeDrainerTests : IAsyncLifetime
{
    private static readonly DrainOptions Fast = new()
    {
        RetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        PollInterval = TimeSpan.FromMilliseconds(50),
        Timeout = TimeSpan.FromMinutes(2),
    };

    private readonly NodeDrainer _drainer = new(TimeProvider.System);
    private readonly ConcurrentQueue<NodeProgress> _progress = new();
    private FakeCluster _cluster = null!;

    private FakeKubeApiServer Server => _cluster.Server;

    private IKubernetesApi Api => _cluster.Api;

    public async Task InitializeAsync() => _cluster = await FakeCluster.StartAsync(DrainSeed.Seed);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task DefaultOptions_RefuseEmptyDirAndUnmanagedPods_BeforeEvictingAnything()
    {
        var result = await _drainer.DrainAsync(Api, "node-a", Fast, _progress.Enqueue);

        Assert.False(result.Succeeded);
        Assert.Equal(["default/bare", "default/cache-1"], result.Refused.Select(r => r.Pod.ToString()).Order());
        Assert.Contains("default/cache-1 has emptyDir data", result.Error, StringComparison.Ordinal);
        Assert.Contains("default/bare not managed by a controller", result.Error, StringComparison.Ordinal);
        Assert.Empty(Server.State.Evictions);
    }

    [Fact]
    public async Task ForceAndEmptyDir_EvictThroughPolicyV1WithTheGraceOverride_SkippingDaemonSetAndMirrorPods()
    {
        var result = await _drainer.DrainAsync(Api, "node-a", Fast with { Force = true, DeleteEmptyDirData = true, GracePeriodSeconds = 5 }, _progress.Enqueue);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(DrainSeed.EvictedWithForce, result.Evicted);
        Assert.Equal(DrainSeed.EvictedWithForce, Server.State.Evictions.Order());
        Assert.Equal(["kube-system/fluentd-a", "kube-system/kube-proxy-node-a"], result.Skipped.Select(s => s.Pod.ToString()).Order());
        Assert.NotNull(Server.State.GetPod("kube-system", "fluentd-a"));
        Assert.NotNull(Server.State.GetPod("kube-system", "kube-proxy-node-a"));
        Assert.NotNull(Server.State.GetPod("default", "web-2"));
        var eviction = Server.Requests.First(r => r.PathAndQuery == "/api/v1/namespaces/default/pods/web-1/eviction");
        Assert.Equal("POST", eviction.Method);
        Assert.Contains("\"apiVersion\":\"policy/v1\"", eviction.Body, StringComparison.Ordinal);
        Assert.Contains("\"gracePeriodSeconds\":5", eviction.Body, StringComparison.Ordinal);
        Assert.Contains(Server.Requests, r => r.PathAndQuery.StartsWith("/api/v1/pods?", StringComparison.Ordinal) && r.PathAndQuery.Contains("fieldSelector=spec.nodeName%3Dnode-a", StringComparison.Ordinal));
        Assert.Equal("drained", _progress.Last().Stage);
    }

    [Fact]
    public async Task BudgetRefusingTwice_IsRetriedWithBackoff_NamedInProgress_AndPodsAreListedAgainEachRound()
    {
        Server.State.AddPodDisruptionBudget("default", "web-pdb", DrainSeed.Web, refuseTimes: 2);

        var result = await _drainer.DrainAsync(Api, "node-a", Fast with { Force = true, DeleteEmptyDirData = true }, _progress.Enqueue);

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains("default/web-1", result.Evicted);
        var blocked = _progress.Where(p => p.Stage == "blocked").ToList();
        Assert.Equal(2, blocked.Count);
        Assert.All(blocked, p => Assert.Equal(["web-pdb"], p.BlockingBudgets!));
        Assert.Contains("web-pdb", blocked[0].Message, StringComparison.Ordinal);
        Assert.Equal(0, Server.State.RefusalsLeft("default", "web-pdb"));
        Assert.Equal(3, Server.Requests.Count(r => r.PathAndQuery == "/api/v1/namespaces/default/pods/web-1/eviction"));
        Assert.True(Server.Requests.Count(r => r.PathAndQuery.StartsWith("/api/v1/pods?", StringComparison.Ordinal)) >= 4);
        // Pods evicted in the first round are not evicted again while the budget holds web-1.
        Assert.Single(Server.Requests, r => r.PathAndQuery == "/api/v1/namespaces/default/pods/api-1/eviction");
    }

    [Fact]
    public async Task BudgetThatNeverAllows_TimesOut_NamingTheBudgetAndThePod()
    {
        Server.State.AddPodDisruptionBudget("default", "web-pdb", DrainSeed.Web, minAvailable: 2);

        var result = await _drainer.DrainAsync(Api, "node-a", Fast with { Force = true, DeleteEmptyDirData = true, Timeout = TimeSpan.FromSeconds(1) }, _progress.Enqueue);

        Assert.False(result.Succeeded);
        Assert.Equal(["web-pdb"], result.BlockingBudgets);
        Assert.Contains("timed out", result.Error, StringComparison.Ordinal);
        Assert.Contains("PodDisruptionBudget web-pdb blocks eviction of default/web-1", result.Error, StringComparison.Ordinal);
        Assert.NotNull(Server.State.GetPod("default", "web-1"));
        Assert.DoesNotContain("default/web-1", result.Evicted);
    }

    [Fact]
    public async Task EvictedPods_AreWaitedForUntilGone()
    {
        Server.State.TerminationReads = 3;

        var result = await _drainer.DrainAsync(Api, "node-a", Fast with { Force = true, DeleteEmptyDirData = true }, _progress.Enqueue);

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains(_progress, p => p.Stage == "wait" && p.Remaining > 0);
        Assert.Null(Server.State.GetPod("default", "web-1"));
        // Each pod was evicted once although it stayed listed (terminating) for a few rounds.
        Assert.Single(Server.Requests, r => r.PathAndQuery == "/api/v1/namespaces/default/pods/web-1/eviction");
    }

    [Fact]
    public async Task DisableEviction_DeletesPods_BypassingTheBudget()
    {
        Server.State.AddPodDisruptionBudget("default", "web-pdb", DrainSeed.Web, minAvailable: 2);

        var result = await _drainer.DrainAsync(Api, "node-a", Fast with { Force = true, DeleteEmptyDirData = true, DisableEviction = true, GracePeriodSeconds = 0 });

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(DrainSeed.EvictedWithForce, Server.State.Deletions.Order());
        Assert.Empty(Server.State.Evictions);
        Assert.DoesNotContain(Server.Requests, r => r.PathAndQuery.EndsWith("/eviction", StringComparison.Ordinal));
        Assert.Contains(Server.Requests, r => r.Method == "DELETE" && r.PathAndQuery.StartsWith("/api/v1/namespaces/default/pods/web-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PodStuckDeleting_LongerThanTheLimit_IsSkipped()
    {
        Server.State.AddPod("default", "stuck", "node-a", owner: ("ReplicaSet", "s-1"), deletingSince: TimeProvider.System.GetUtcNow().AddHours(-1));

        var result = await _drainer.DrainAsync(Api, "node-a", Fast with { Force = true, DeleteEmptyDirData = true, SkipDeletingLongerThan = TimeSpan.FromMinutes(5) });

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains(result.Skipped, s => s.Pod.Name == "stuck" && s.Reason!.Contains("deleting", StringComparison.Ordinal));
        Assert.DoesNotContain("default/stuck", Server.State.Evictions);
    }

    [Fact]
    public async Task Cancel_WhileABudgetHolds_StopsFurtherEvictions()
    {
        Server.State.AddPodDisruptionBudget("default", "web-pdb", DrainSeed.Web, minAvailable: 2);
        using var cancel = new CancellationTokenSource();
        var blockedOnce = new TaskCompletionSource();

        var drain = _drainer.DrainAsync(Api, "node-a", Fast with { Force = true, DeleteEmptyDirData = true, RetryDelay = TimeSpan.FromSeconds(30), MaxRetryDelay = TimeSpan.FromSeconds(30) },
            p =>
            {
                if (p.Stage == "blocked")
                {
                    blockedOnce.TrySetResult();
                }
            },
            cancel.Token);
        await blockedOnce.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var attemptsBefore = Server.Requests.Count(r => r.PathAndQuery.EndsWith("/web-1/eviction", StringComparison.Ordinal));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => drain);
        Assert.Equal(1, attemptsBefore);
        Assert.Equal(attemptsBefore, Server.Requests.Count(r => r.PathAndQuery.EndsWith("/web-1/eviction", StringComparison.Ordinal)));
        Assert.NotNull(Server.State.GetPod("default", "web-1"));
    }

    [Fact]
    public async Task EvictingAPodThatIsAlreadyGone_CountsAsDone()
    {
        var gone = (await Api.ListPodsOnNodeAsync("node-a")).Single(p => p.Name == "api-1");
        Server.State.Delete(FakeKubeApiServerResources.Pods, "default", "api-1");

        var outcome = await Api.EvictPodAsync(gone);

        Assert.Equal(EvictionStatus.Gone, outcome.Status);
    }
}
