using System.Text.Json.Nodes;
using NodeOps.Runners.Ansible;

namespace NodeOps.Tests.Runners.Ansible;

public sealed class AnsibleInventoryTests
{
    [Fact]
    public void Build_GroupsByClusterAndLabel_WithConnectionVarsPerHost()
    {
        AnsibleHost[] hosts =
        [
            new("node_a", "127.0.0.2", 2201, new Dictionary<string, string> { ["role"] = "worker", ["kubernetes.io/os"] = "linux" }),
            // A label that would make a group named like a host is left out: a group may not shadow a host.
            new("node-b", "127.0.0.3", 2202, new Dictionary<string, string> { ["role"] = "master", ["node_a"] = "" }),
        ];

        var inventory = AnsibleInventory.Build("prod-1", hosts, "ops", new JsonObject { ["ansible_connection"] = "ssh" });

        var all = inventory["all"]!;
        var b = all["hosts"]!["node-b"]!;
        Assert.Equal("127.0.0.3", b["ansible_host"]!.GetValue<string>());
        Assert.Equal(2202, b["ansible_port"]!.GetValue<int>());
        Assert.Equal("ops", b["ansible_user"]!.GetValue<string>());
        Assert.Equal("-o HostKeyAlias=nodeops-node-1", b["ansible_ssh_extra_args"]!.GetValue<string>());
        var groups = all["children"]!.AsObject();
        Assert.Equal(["cluster_prod_1", "kubernetes_io_os_linux", "role_master", "role_worker"], groups.Select(g => g.Key).ToArray());
        Assert.Equal(["node_a", "node-b"], groups["cluster_prod_1"]!["hosts"]!.AsObject().Select(h => h.Key).ToArray());
        Assert.Equal(["node_a"], groups["role_worker"]!["hosts"]!.AsObject().Select(h => h.Key).ToArray());
        Assert.Equal("ssh", all["vars"]!["ansible_connection"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("role=worker", "role_worker")]
    [InlineData("9lives", "_9lives")]
    [InlineData("Node-Role.Kubernetes.io/Master", "node_role_kubernetes_io_master")]
    [InlineData("", "_")]
    public void GroupName_ReducesToWhatAnsibleAccepts(string text, string expected)
    {
        Assert.Equal(expected, AnsibleInventory.GroupName(text));
    }
}
