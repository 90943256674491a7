using NodeOps.Kubernetes;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Kubernetes;

public sealed class KubernetesClientTests
{
    [Fact]
    public async Task GetVersion_PlainHttp_ReadsGitVersion()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { GitVersion = "v1.31.2" });
        using var client = KubernetesClient.FromKubeconfig(server.Kubeconfig());

        var version = await client.GetVersionAsync();

        Assert.Equal("v1.31.2", version.GitVersion);
        Assert.Equal("31", version.Minor);
    }

    [Fact]
    public async Task GetVersion_TlsWithClusterCaAndToken_SendsTheToken()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { Tls = true, BearerToken = "t0ken" });
        using var client = KubernetesClient.FromKubeconfig(server.Kubeconfig());

        var version = await client.GetVersionAsync();

        Assert.Equal("v1.32.4", version.GitVersion);
        Assert.Contains(server.Requests, r => r.PathAndQuery == "/version" && r.User == "token:t0ken");
    }

    [Fact]
    public async Task GetVersion_TlsWithClientCertificate_AuthenticatesByCertificate()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { Tls = true, BearerToken = "required", ClientCertificates = true });
        using var client = KubernetesClient.FromKubeconfig(server.Kubeconfig(withClientCertificate: true, token: ""));

        await client.GetVersionAsync();

        Assert.Contains(server.Requests, r => r.User == "cert:nodeops-test");
    }

    [Fact]
    public async Task GetVersion_ServerCertificateFromAnotherCa_IsRejected()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { Tls = true });
        await using var other = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { Tls = true });
        var mismatched = server.Kubeconfig().Replace(B64(server.CertificateAuthorityPem!), B64(other.CertificateAuthorityPem!), StringComparison.Ordinal);
        using var client = KubernetesClient.FromKubeconfig(mismatched);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetVersionAsync());

        Assert.Equal("Unreachable", error.Reason);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task GetJson_WrongToken_Returns401Reason()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { BearerToken = "right" });
        using var client = KubernetesClient.FromKubeconfig(server.Kubeconfig(token: "wrong"));

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetJsonAsync("/api/v1/nodes"));

        Assert.Equal(401, error.StatusCode);
        Assert.Equal("Unauthorized", error.Reason);
    }

    [Fact]
    public async Task GetJson_ForbiddenResource_CarriesTheServersMessage()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Forbid("nodes");
        using var client = KubernetesClient.FromKubeconfig(server.Kubeconfig());

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetJsonAsync("/api/v1/nodes"));

        Assert.Equal(403, error.StatusCode);
        Assert.Equal("Forbidden", error.Reason);
        Assert.Contains("nodes is forbidden", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NamedContext_PicksItsClusterUserAndNamespace()
    {
        const string yaml = """
            apiVersion: v1
            kind: Config
            current-context: a
            clusters:
            - name: ca
              cluster: { server: "https://a.example:6443" }
            - name: cb
              cluster: { server: "https://b.example:6443", insecure-skip-tls-verify: true }
            users:
            - name: ua
              user: { token: token-a }
            - name: ub
              user: { token: token-b }
            contexts:
            - name: a
              context: { cluster: ca, user: ua }
            - name: b
              context: { cluster: cb, user: ub, namespace: team-b }
            """;

        var current = Kubeconfig.Resolve(yaml);
        var named = Kubeconfig.Resolve(yaml, "b");

        Assert.Equal(new Uri("https://a.example:6443"), current.Server);
        Assert.Equal("token-a", current.BearerToken);
        Assert.Equal("token-b", named.BearerToken);
        Assert.True(named.InsecureSkipTlsVerify);
        Assert.Equal("team-b", named.Namespace);
        Assert.DoesNotContain("token-b", named.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("current-context: x\ncontexts: []\n", "no context named 'x'")]
    [InlineData("contexts:\n- name: x\n  context: { cluster: missing }\n", "cluster 'missing'")]
    [InlineData("current-context: x\nclusters:\n- name: c\n  cluster: { server: https://h }\nusers:\n- name: u\n  user:\n    exec: { command: aws }\ncontexts:\n- name: x\n  context: { cluster: c, user: u }\n", "exec")]
    [InlineData("clusters: [\n  token: secret-value", "not valid YAML")]
    public void Resolve_UnusableKubeconfig_SaysWhy(string yaml, string expected)
    {
        var error = Assert.Throws<KubeconfigException>(() => Kubeconfig.Resolve(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
    }

    private static string B64(string pem) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pem));
}
