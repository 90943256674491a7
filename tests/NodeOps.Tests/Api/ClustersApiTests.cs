using System.Net;
using System.Text;
using NodeOps.Auth;
using NodeOps.Clusters;
using NodeOps.Errors;
using NodeOps.Storage;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

public sealed class ClustersApiTests(CatalogApiFixture fixture) : IClassFixture<CatalogApiFixture>
{
    private const string Path = "/api/v1/clusters";

    private HttpClient Admin => fixture.Client(Role.Admin);

    private HttpClient Viewer => fixture.Client(Role.Viewer);

    [Fact]
    public async Task Create_WithInventoryAndKubeconfig_ViewersReadIt_ButNeverTheKubeconfig()
    {
        var name = UniqueName();
        var token = "kube-token-" + Guid.NewGuid().ToString("N");
        var created = (await Admin.PostJsonAsync(Path, new
        {
            name,
            description = "生产集群",
            kubeconfig = Kubeconfig(token),
            nodes = new object[]
            {
                new { name = "node1", address = "10.0.0.1", port = 22, labels = new Dictionary<string, string> { ["node-role.kubernetes.io/worker"] = "", ["zone"] = "a" } },
                new { name = "node2", address = "node2.example.internal" },
            },
        })).AssertStatus(HttpStatusCode.Created);

        Assert.True(created.Data.GetProperty("has_kubeconfig").GetBoolean());
        Assert.Equal(2, created.Data.GetProperty("node_count").GetInt32());
        Assert.False(created.Data.TryGetProperty("kubeconfig", out _));

        var fetched = (await Viewer.GetApiAsync($"{Path}/{name}")).AssertStatus(HttpStatusCode.OK);
        var nodes = fetched.Data.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(["node1", "node2"], nodes.Select(n => n.GetProperty("name").GetString()!).ToArray());
        // No port given: 0, which means the credential's port at run time.
        Assert.Equal(0, nodes[1].GetProperty("port").GetInt32());
        Assert.Equal("a", nodes[0].GetProperty("labels").GetProperty("zone").GetString());

        var paged = (await Viewer.GetApiAsync($"{Path}/{name}/nodes?page=2&page_size=1")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, paged.Data.GetProperty("total").GetInt32());
        Assert.Equal("node2", paged.Data.GetProperty("nodes")[0].GetProperty("name").GetString());

        var list = (await Viewer.GetApiAsync(Path + "?page_size=100")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(list.Data.GetProperty("clusters").EnumerateArray(), c => c.GetProperty("name").GetString() == name);

        foreach (var body in new[] { created.Body, fetched.Body, list.Body })
        {
            Assert.DoesNotContain(token, body, StringComparison.Ordinal);
        }

        Assert.Equal(Kubeconfig(token), await fixture.Host.GetRequiredService<IKubeconfigSource>().GetKubeconfigAsync(name));
    }

    [Fact]
    public async Task Kubeconfig_IsEncryptedAtRest_AndNeverLogged()
    {
        var name = UniqueName();
        var token = "rest-token-" + Guid.NewGuid().ToString("N");
        (await Admin.PostJsonAsync(Path, new { name, kubeconfig = Kubeconfig(token) })).AssertStatus(HttpStatusCode.Created);

        var rows = await fixture.Host.GetRequiredService<ITableStore>().QueryListAsync("clusters", new TableQuery());
        var stored = string.Join("\n", rows.SelectMany(r => r.Properties.Values).Select(v => v?.ToString()));
        Assert.Contains("v1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(token, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("certificate-authority-data", stored, StringComparison.Ordinal);
        Assert.All(fixture.Logs.Lines, line => Assert.DoesNotContain(token, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_RemovesKubeconfig_ReplacesInventory_AndTheDefaultFlagMoves()
    {
        var first = UniqueName();
        var second = UniqueName();
        (await Admin.PostJsonAsync(Path, new { name = first, is_default = true, kubeconfig = Kubeconfig("first") })).AssertStatus(HttpStatusCode.Created);
        (await Admin.PostJsonAsync(Path, new { name = second, kubeconfig = Kubeconfig("second"), nodes = new[] { new { name = "a", address = "10.1.0.1" } } }))
            .AssertStatus(HttpStatusCode.Created);
        var kubeconfigs = fixture.Host.GetRequiredService<IKubeconfigSource>();
        Assert.Equal(Kubeconfig("first"), await kubeconfigs.GetKubeconfigAsync(null));

        var moved = (await Admin.PutJsonAsync($"{Path}/{second}", new { is_default = true, nodes = new[] { new { name = "b", address = "10.1.0.2", port = 2222 } } }))
            .AssertStatus(HttpStatusCode.OK);
        Assert.True(moved.Data.GetProperty("is_default").GetBoolean());
        Assert.Equal("b", Assert.Single(moved.Data.GetProperty("nodes").EnumerateArray()).GetProperty("name").GetString());
        Assert.False((await Viewer.GetApiAsync($"{Path}/{first}")).Data.GetProperty("is_default").GetBoolean());
        Assert.Equal(Kubeconfig("second"), await kubeconfigs.GetKubeconfigAsync(null));

        var removed = (await Admin.PutJsonAsync($"{Path}/{second}", new { kubeconfig = "" })).AssertStatus(HttpStatusCode.OK);
        Assert.False(removed.Data.GetProperty("has_kubeconfig").GetBoolean());
        Assert.Null(await kubeconfigs.GetKubeconfigAsync(second));
        Assert.Null(await kubeconfigs.GetKubeconfigAsync(null));
    }

    [Fact]
    public async Task DefaultCredential_MustExist()
    {
        (await Admin.PostJsonAsync(Path, new { name = UniqueName(), default_credential_id = 987654 })).AssertError(HttpStatusCode.UnprocessableEntity, "default_credential_id");

        var credential = (await Admin.PostJsonAsync("/api/v1/automation/credentials", new { name = "cluster-cred-" + Guid.NewGuid().ToString("N")[..6], username = "root", auth_type = "password", password = "p" }))
            .AssertStatus(HttpStatusCode.Created).Data.GetProperty("id").GetInt64();
        var name = UniqueName();
        var created = (await Admin.PostJsonAsync(Path, new { name, default_credential_id = credential })).AssertStatus(HttpStatusCode.Created);
        Assert.Equal(credential, created.Data.GetProperty("default_credential_id").GetInt64());

        var cleared = (await Admin.PutJsonAsync($"{Path}/{name}", new { default_credential_id = 0 })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.Data.GetProperty("default_credential_id").ValueKind);
    }

    [Theory]
    [InlineData("{\"name\":\"Upper\"}", 422, "name")]
    [InlineData("{\"name\":\"a/b\"}", 422, "name")]
    [InlineData("{\"name\":\"-dash\"}", 422, "name")]
    [InlineData("{\"name\":\"ctl\\u0001\"}", 422, "name")]
    [InlineData("{\"name\":\"ok-1\",\"nodes\":[{\"name\":\"n/1\",\"address\":\"10.0.0.1\"}]}", 422, "nodes[0].name")]
    [InlineData("{\"name\":\"ok-1\",\"nodes\":[{\"name\":\"n1\",\"address\":\"-oProxyCommand=x\"}]}", 422, "nodes[0].address")]
    [InlineData("{\"name\":\"ok-1\",\"nodes\":[{\"name\":\"n1\",\"address\":\"10.0.0.1\",\"port\":65536}]}", 422, "nodes[0].port")]
    [InlineData("{\"name\":\"ok-1\",\"nodes\":[{\"name\":\"n1\",\"address\":\"10.0.0.1\",\"port\":-1}]}", 422, "nodes[0].port")]
    [InlineData("{\"name\":\"ok-1\",\"nodes\":[{\"name\":\"n1\",\"address\":\"10.0.0.1\"},{\"name\":\"n1\",\"address\":\"10.0.0.2\"}]}", 422, "nodes[1].name")]
    [InlineData("{\"name\":\"ok-1\",\"nodes\":[{\"name\":\"n1\",\"address\":\"10.0.0.1\",\"labels\":{\"bad key!\":\"x\"}}]}", 422, "nodes[0].labels")]
    [InlineData("{\"name\":\"ok-1\",\"nodes\":[{\"name\":\"n1\"}]}", 400, "nodes[0]")]
    [InlineData("{\"name\":\"ok-1\",\"kubeconfig\":\"just: [broken\"}", 422, "kubeconfig")]
    [InlineData("{\"name\":\"ok-1\",\"kubeconfig\":\"apiVersion: v1\\nkind: Config\\n\"}", 422, "kubeconfig")]
    [InlineData("{\"name\":\"ok-1\",\"surprise\":1}", 400, "surprise")]
    public async Task Create_BadFields_AreNamed(string body, int status, string field)
    {
        (await Admin.PostJsonAsync(Path, body)).AssertError((HttpStatusCode)status, field);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("a%2Fb")]
    [InlineData("bad%01name")]
    public async Task Get_BadClusterNameInPath_Returns400OnName(string name)
    {
        (await Viewer.GetApiAsync($"{Path}/{name}")).AssertError(HttpStatusCode.BadRequest, "name");
    }

    [Fact]
    public async Task Create_Duplicate_Returns409_AndMissingClusterIs404()
    {
        var name = UniqueName();
        (await Admin.PostJsonAsync(Path, new { name })).AssertStatus(HttpStatusCode.Created);

        (await Admin.PostJsonAsync(Path, new { name })).AssertError(HttpStatusCode.Conflict, "name");
        (await Viewer.GetApiAsync($"{Path}/never-made")).AssertError(HttpStatusCode.NotFound);
        (await Admin.PutJsonAsync($"{Path}/{name}", new { name = "renamed" })).AssertError(HttpStatusCode.UnprocessableEntity, "name");
    }

    [Fact]
    public async Task NodeResolver_ResolvesInOrder_AndListsEveryUnknownName()
    {
        var name = UniqueName();
        (await Admin.PostJsonAsync(Path, new
        {
            name,
            nodes = new object[]
            {
                new { name = "n1", address = "127.0.0.11", port = 2201, labels = new Dictionary<string, string> { ["rack"] = "r1" } },
                new { name = "n2", address = "127.0.0.12", port = 2202 },
            },
        })).AssertStatus(HttpStatusCode.Created);
        var resolver = fixture.Host.GetRequiredService<INodeResolver>();

        var resolved = await resolver.ResolveAsync(name, ["n2", "n1"]);
        Assert.Equal(["n2", "n1"], resolved.Select(n => n.Name).ToArray());
        Assert.Equal(("127.0.0.12", 2202), (resolved[0].Address, resolved[0].Port));
        Assert.Equal("r1", resolved[1].Labels["rack"]);

        var unknown = await Assert.ThrowsAsync<NodeOpsException>(() => resolver.ResolveAsync(name, ["n1", "ghost-a", "ghost-b"]));
        Assert.Equal(ErrorKind.Validation, unknown.Kind);
        Assert.Equal("target_nodes", unknown.Field);
        Assert.Contains("ghost-a, ghost-b", unknown.Message, StringComparison.Ordinal);

        var missingCluster = await Assert.ThrowsAsync<NodeOpsException>(() => resolver.ResolveAsync("no-such-cluster", ["n1"]));
        Assert.Equal(ErrorKind.NotFound, missingCluster.Kind);
        var badName = await Assert.ThrowsAsync<NodeOpsException>(() => resolver.ResolveAsync(name, ["../etc"]));
        Assert.Equal("target_nodes", badName.Field);
    }

    [Fact]
    public async Task HostKeyPins_AreVisibleToViewers_AndAnAdminCanClearOne()
    {
        var name = UniqueName();
        (await Admin.PostJsonAsync(Path, new { name, nodes = new[] { new { name = "n1", address = "127.0.0.21" } } })).AssertStatus(HttpStatusCode.Created);
        var pins = fixture.Host.GetRequiredService<HostKeyPinStore>();
        await pins.PinIfAbsentAsync(new HostKeyPin(name, "n1", "127.0.0.21", 22, "ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIExample", "SHA256:example", DateTimeOffset.UnixEpoch));

        var listed = (await Viewer.GetApiAsync($"{Path}/{name}/host-keys")).AssertStatus(HttpStatusCode.OK);
        var pin = Assert.Single(listed.Data.GetProperty("host_keys").EnumerateArray());
        Assert.Equal("n1", pin.GetProperty("node_name").GetString());
        Assert.Equal("SHA256:example", pin.GetProperty("fingerprint").GetString());

        (await fixture.Client(Role.User).DeleteApiAsync($"{Path}/{name}/host-keys/n1")).AssertError(HttpStatusCode.Forbidden);
        (await Admin.DeleteApiAsync($"{Path}/{name}/host-keys/n1")).AssertStatus(HttpStatusCode.OK);
        Assert.Null(await pins.GetAsync(name, "n1"));
        (await Admin.DeleteApiAsync($"{Path}/{name}/host-keys/n1")).AssertError(HttpStatusCode.NotFound);
        (await Admin.DeleteApiAsync($"{Path}/{name}/host-keys/bad%2Fnode")).AssertError(HttpStatusCode.BadRequest, "node");
    }

    [Fact]
    public async Task Delete_RemovesTheClusterItsRowsAndItsPins()
    {
        var name = UniqueName();
        (await Admin.PostJsonAsync(Path, new { name, kubeconfig = Kubeconfig("gone"), nodes = new[] { new { name = "n1", address = "127.0.0.31" } } })).AssertStatus(HttpStatusCode.Created);
        var pins = fixture.Host.GetRequiredService<HostKeyPinStore>();
        await pins.PinIfAbsentAsync(new HostKeyPin(name, "n1", "127.0.0.31", 22, "ssh-ed25519", "AAAA", "SHA256:x", DateTimeOffset.UnixEpoch));

        (await Admin.DeleteApiAsync($"{Path}/{name}")).AssertStatus(HttpStatusCode.OK);

        (await Viewer.GetApiAsync($"{Path}/{name}")).AssertError(HttpStatusCode.NotFound);
        Assert.Empty(await pins.ListAsync(name));
        var leftovers = await fixture.Host.GetRequiredService<ITableStore>().QueryListAsync("clusters", TableQuery.Partition("b-" + name));
        Assert.Empty(leftovers);
        (await Admin.DeleteApiAsync($"{Path}/{name}")).AssertError(HttpStatusCode.NotFound);
    }

    private static string UniqueName() => "c-" + Guid.NewGuid().ToString("N")[..10];

    private static string Kubeconfig(string token) => new StringBuilder()
        .Append("apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: https://127.0.0.1:6443\n    certificate-authority-data: Zm9v\n")
        .Append("contexts:\n- name: test\n  context:\n    cluster: test\n    user: test\ncurrent-context: test\n")
        .Append("users:\n- name: test\n  user:\n    token: ").Append(token).Append('\n')
        .ToString();
}
