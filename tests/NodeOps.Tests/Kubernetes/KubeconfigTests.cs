using NodeOps.Kubernetes;

namespace NodeOps.Tests.Kubernetes;

/// <summary>Stored kubeconfigs are read with the library's model, in memory, and only with credentials they carry.</summary>
public sealed class KubeconfigTests
{
    private const string TwoContexts = """
        apiVersion: v1
        kind: Config
        current-context: a
        clusters:
        - name: ca
          cluster: { server: "https://a.example:6443", insecure-skip-tls-verify: true }
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

    [Fact]
    public void Resolve_CurrentAndNamedContext_PickTheirClusterUserAndNamespace()
    {
        var current = Kubeconfig.Resolve(TwoContexts);
        var named = Kubeconfig.Resolve(TwoContexts, "b");

        Assert.Equal("https://a.example:6443", current.Configuration.Host.TrimEnd('/'));
        Assert.Equal("token-a", current.Configuration.AccessToken);
        Assert.Null(current.Namespace);
        Assert.Equal("token-b", named.Configuration.AccessToken);
        Assert.Equal("cb", named.ClusterName);
        Assert.Equal("team-b", named.Namespace);
        Assert.DoesNotContain("token-b", named.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ListContexts_NamesThemAndTheCurrentOne()
    {
        var (contexts, current) = Kubeconfig.ListContexts(TwoContexts);

        Assert.Equal(["a", "b"], contexts);
        Assert.Equal("a", current);
    }

    [Theory]
    [InlineData("current-context: x\ncontexts: []\n", "no context named 'x'")]
    [InlineData("contexts:\n- name: x\n  context: { cluster: missing }\n", "cluster 'missing'")]
    [InlineData("current-context: x\nclusters:\n- name: c\n  cluster: { server: https://h, insecure-skip-tls-verify: true }\nusers:\n- name: u\n  user:\n    exec: { command: /bin/touch, args: [/tmp/pwned], apiVersion: client.authentication.k8s.io/v1 }\ncontexts:\n- name: x\n  context: { cluster: c, user: u }\n", "exec")]
    [InlineData("current-context: x\nclusters:\n- name: c\n  cluster: { server: https://h, insecure-skip-tls-verify: true }\nusers:\n- name: u\n  user:\n    auth-provider: { name: gcp }\ncontexts:\n- name: x\n  context: { cluster: c, user: u }\n", "auth-provider")]
    [InlineData("current-context: x\nclusters:\n- name: c\n  cluster: { server: https://h, certificate-authority: /etc/ssl/ca.pem }\ncontexts:\n- name: x\n  context: { cluster: c }\n", "certificate-authority-data")]
    [InlineData("current-context: x\nclusters:\n- name: c\n  cluster: { server: https://h, insecure-skip-tls-verify: true }\nusers:\n- name: u\n  user: { client-certificate: /root/c.pem, client-key: /root/k.pem }\ncontexts:\n- name: x\n  context: { cluster: c, user: u }\n", "client-certificate-data")]
    [InlineData("current-context: x\nclusters:\n- name: c\n  cluster: { server: https://h }\ncontexts:\n- name: x\n  context: { cluster: c }\n", "no certificate-authority-data")]
    [InlineData("current-context: x\nclusters:\n- name: c\n  cluster: { server: \"ftp://h\" }\ncontexts:\n- name: x\n  context: { cluster: c }\n", "no valid https server")]
    [InlineData("clusters: [\n  token: secret-value", "not valid YAML")]
    public void Resolve_UnusableKubeconfig_SaysWhy_WithoutQuotingIt(string yaml, string expected)
    {
        var error = Assert.Throws<KubeconfigException>(() => Kubeconfig.Resolve(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists("/tmp/pwned"));
    }
}
