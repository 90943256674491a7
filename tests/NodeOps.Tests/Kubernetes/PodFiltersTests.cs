using NodeOps.Kubernetes;
using NodeOps.Kubernetes.Nodes;

namespace NodeOps.Tests.Kubernetes;

/// <summary>The filter chain alone, on pod records: each filter's verdict and reason, and the options that lift refusals.</summary>
public sealed class PodFiltersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("DaemonSet", false, false, null, PodVerdict.Skip, "DaemonSet fluentd")]
    [InlineData("Node", true, false, null, PodVerdict.Skip, "mirror")]
    [InlineData("ReplicaSet", false, true, null, PodVerdict.Refuse, "delete_emptydir_data")]
    [InlineData(null, false, false, null, PodVerdict.Refuse, "force")]
    [InlineData(null, false, false, "Succeeded", PodVerdict.Evict, null)]
    [InlineData(null, false, true, "Failed", PodVerdict.Evict, null)]
    [InlineData("ReplicaSet", false, false, null, PodVerdict.Evict, null)]
    [InlineData("StatefulSet", false, false, null, PodVerdict.Evict, null)]
    public void DefaultOptions_DecideByKind(string? controller, bool mirror, bool emptyDir, string? phase, PodVerdict expected, string? reason)
    {
        var result = PodFilters.Apply(Pod(controller, mirror, emptyDir, phase), new DrainOptions(), Now);

        Assert.Equal(expected, result.Verdict);
        if (reason is null)
        {
            Assert.Null(result.Reason);
        }
        else
        {
            Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ForceAndDeleteEmptyDirData_LiftTheRefusals_ButNeverTheSkips()
    {
        var options = new DrainOptions { Force = true, DeleteEmptyDirData = true };

        Assert.Equal(PodVerdict.Evict, PodFilters.Apply(Pod(null, false, true, "Running"), options, Now).Verdict);
        Assert.Equal(PodVerdict.Skip, PodFilters.Apply(Pod("DaemonSet", false, false, "Running"), options, Now).Verdict);
        Assert.Equal(PodVerdict.Skip, PodFilters.Apply(Pod("Node", true, false, "Running"), options, Now).Verdict);
    }

    [Fact]
    public void PodDeletingLongerThanTheLimit_IsSkipped_AShorterOneIsNot()
    {
        var options = new DrainOptions { SkipDeletingLongerThan = TimeSpan.FromMinutes(5) };

        var stuck = PodFilters.Apply(Pod("ReplicaSet", false, false, "Running") with { DeletionTimestamp = Now.AddMinutes(-6) }, options, Now);
        var recent = PodFilters.Apply(Pod("ReplicaSet", false, false, "Running") with { DeletionTimestamp = Now.AddMinutes(-1) }, options, Now);
        var noLimit = PodFilters.Apply(Pod("ReplicaSet", false, false, "Running") with { DeletionTimestamp = Now.AddHours(-1) }, new DrainOptions(), Now);

        Assert.Equal(PodVerdict.Skip, stuck.Verdict);
        Assert.Contains("deleting for longer than 300 s", stuck.Reason, StringComparison.Ordinal);
        Assert.Equal(PodVerdict.Evict, recent.Verdict);
        Assert.Equal(PodVerdict.Evict, noLimit.Verdict);
    }

    private static KubernetesPod Pod(string? controller, bool mirror, bool emptyDir, string? phase) =>
        new("default", "p", Guid.NewGuid().ToString(), "node-a", phase ?? "Running", null, controller, controller is null ? null : "fluentd", mirror, emptyDir, new Dictionary<string, string>());
}
