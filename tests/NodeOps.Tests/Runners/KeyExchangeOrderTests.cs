using NodeOps.Credentials;
using NodeOps.Runners.Ssh;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Runners;

/// <summary>
/// The configured key exchange order decides what is negotiated. The nodes' OpenSSH offers both sntrup761 and
/// curve25519; SSH.NET's own default would pick sntrup761.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class KeyExchangeOrderTests(SshNodes nodes)
{
    [Fact]
    public async Task DefaultOrder_NegotiatesCurve25519_AndAConfiguredOrderIsFollowed()
    {
        Assert.Equal("curve25519-sha256", await NegotiatedAsync(null));
        // SSH.NET names both spellings of sntrup761 alike once negotiated.
        Assert.StartsWith("sntrup761x25519-sha512", await NegotiatedAsync("sntrup761x25519-sha512@openssh.com,curve25519-sha256"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownAlgorithm_StopsStartUp_NamingTheSettingAndTheAllowedValues()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestHost.StartAsync(new Dictionary<string, string?> { ["Ssh:KeyExchangeAlgorithms"] = "curve25519-sha256,made-up-kex" }));

        Assert.Contains("Ssh:KeyExchangeAlgorithms", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("mlkem768x25519-sha256", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<string?> NegotiatedAsync(string? order)
    {
        var settings = order is null ? null : new Dictionary<string, string?> { ["Ssh:KeyExchangeAlgorithms"] = order };
        await using var host = await TestHost.StartAsync(settings, configureServices: FixtureCatalog.For(nodes.Sshd).Register);
        var node = nodes.Sshd.Nodes[16];
        var credential = new SshCredential(1, "key", nodes.Sshd.User, CredentialAuthType.PrivateKey, 22, null, nodes.Sshd.ClientPrivateKey, null);
        using var lease = await host.GetRequiredService<SshConnectionPool>().AcquireAsync(new SshTarget("kex-" + Guid.NewGuid().ToString("N")[..8], node.Name, node.Address, node.Port, credential));
        return lease.Connection.Client.ConnectionInfo.CurrentKeyExchangeAlgorithm;
    }
}
