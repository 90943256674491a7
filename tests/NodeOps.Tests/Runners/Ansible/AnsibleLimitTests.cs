using NodeOps.Errors;
using NodeOps.Runners.Ansible;

namespace NodeOps.Tests.Runners.Ansible;

public sealed class AnsibleLimitTests
{
    private static readonly AnsibleHost[] Hosts =
    [
        new("master1", "10.0.0.1", 22, new Dictionary<string, string> { ["node-role.kubernetes.io/control-plane"] = "" }),
        new("worker1", "10.0.0.2", 22, new Dictionary<string, string> { ["pool"] = "gpu" }),
        new("worker2", "10.0.0.3", 22, new Dictionary<string, string> { ["pool"] = "cpu" }),
    ];

    [Theory]
    [InlineData("worker1", new[] { "worker1" })]
    [InlineData("worker*", new[] { "worker1", "worker2" })]
    [InlineData("all:!worker2", new[] { "master1", "worker1" })]
    [InlineData("!master1", new[] { "worker1", "worker2" })]
    [InlineData("pool_gpu,master1", new[] { "master1", "worker1" })]
    [InlineData("node_role_kubernetes_io_control_plane", new[] { "master1" })]
    [InlineData("cluster_prod:&pool_*", new[] { "worker1", "worker2" })]
    [InlineData("worker?", new[] { "worker1", "worker2" })]
    public void Select_PatternsOverTheTargets_SelectsLikeAnsible(string pattern, string[] expected)
    {
        Assert.Equal(expected, AnsibleLimit.Select(pattern, "prod", Hosts));
    }

    [Theory]
    [InlineData("worker9")]
    [InlineData("~work.*")]
    [InlineData("@hosts.txt")]
    [InlineData("worker[0:1]")]
    [InlineData("all:!all")]
    [InlineData("nomatch*")]
    public void Select_OutsideTheTargetsOrUnsupported_Returns400(string pattern)
    {
        var error = Assert.Throws<NodeOpsException>(() => AnsibleLimit.Select(pattern, "prod", Hosts));

        Assert.Equal("extra_args", error.Field);
    }
}
