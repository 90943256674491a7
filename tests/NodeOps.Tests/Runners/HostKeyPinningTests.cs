using NodeOps.Auth;
using NodeOps.Clusters;
using NodeOps.Tests.Executions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Runners;

/// <summary>Its own two nodes, because it replaces a node's host key.</summary>
public sealed class HostKeyPinningTests : IAsyncLifetime
{
    private SshdFixture _sshd = null!;
    private TestHost _host = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        _sshd = await SshdFixture.StartAsync(2, "pinned");
        _host = await TestHost.StartAsync(configureServices: FixtureCatalog.For(_sshd, "pins").Register);
        _user = await _host.ClientAsync(Role.User);
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _host.DisposeAsync();
        await _sshd.DisposeAsync();
    }

    [Fact]
    public async Task FirstContact_PinsEachNodesKey_AndAChangedKeyFailsOnlyThatNode()
    {
        var body = new { cluster_name = "pins", target_nodes = new[] { "pinned1", "pinned2" }, credential_id = 1, command = "echo ok" };
        var first = await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", await ExecutionApiClient.StartAsync(_user, "ssh", body));
        Assert.Equal("completed", first.GetProperty("status").GetString());
        var pins = _host.GetRequiredService<HostKeyPinStore>();
        var pin1 = await pins.GetAsync("pins", "pinned1");
        var expected = await File.ReadAllTextAsync(_sshd.Nodes[0].HostKeyPath + ".pub");
        Assert.NotNull(pin1);
        Assert.Equal("ssh-ed25519", pin1.KeyType);
        Assert.Equal(expected.Split(' ')[1], pin1.PublicKey);

        await _sshd.ReplaceHostKeyAsync(_sshd.Nodes[0]);
        var second = await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", await ExecutionApiClient.StartAsync(_user, "ssh", body));

        Assert.Equal("failed", second.GetProperty("status").GetString());
        var results = ExecutionApiClient.ResultsByNode(second);
        Assert.Equal("failed", results["pinned1"].GetProperty("status").GetString());
        Assert.Equal("HOST_KEY_MISMATCH", results["pinned1"].GetProperty("error_code").GetString());
        Assert.Contains(pin1.Fingerprint, results["pinned1"].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("success", results["pinned2"].GetProperty("status").GetString());
        Assert.Equal(pin1, await pins.GetAsync("pins", "pinned1"));

        // An admin clears the pin (the node was reinstalled): the next contact pins the new key.
        Assert.True(await pins.ClearAsync("pins", "pinned1"));
        var third = await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", await ExecutionApiClient.StartAsync(_user, "ssh", body));
        Assert.Equal("completed", third.GetProperty("status").GetString());
        Assert.NotEqual(pin1.PublicKey, (await pins.GetAsync("pins", "pinned1"))!.PublicKey);
    }
}
