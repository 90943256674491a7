using Microsoft.Extensions.DependencyInjection;
using NodeOps.Clusters;
using NodeOps.Kubernetes;
using NodeOps.Tests.Assistant;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Kubernetes;

/// <summary>KubernetesClient built from stored kubeconfigs, talking to the fake API server over plain HTTP and TLS.</summary>
public sealed class KubernetesClientsTests : IDisposable
{
    private readonly KubernetesClients _clients = new(new ServiceCollection().BuildServiceProvider());

    public void Dispose() => _clients.Dispose();

    [Fact]
    public async Task GetVersion_PlainHttp_ReadsGitVersion()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { GitVersion = "v1.31.2" });
        using var api = _clients.Open("c", server.Kubeconfig());

        var version = await api.GetVersionAsync();

        Assert.Equal("v1.31.2", version.GitVersion);
        Assert.Equal("31", version.Minor);
        Assert.Equal("fake", api.ClusterName);
    }

    [Fact]
    public async Task TokenKubeconfig_OverTlsWithTheClusterCa_SendsTheToken()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { Tls = true, BearerToken = "t0ken" });
        server.State.AddNode("n1");
        using var api = _clients.Open("c", server.Kubeconfig());

        var nodes = await api.ListNodesAsync();

        Assert.Equal(["n1"], nodes.Select(n => n.Name));
        var request = Assert.Single(server.Requests);
        Assert.Equal("token:t0ken", request.User);
        Assert.StartsWith("/api/v1/nodes", request.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCertificateKubeconfig_ServerRequiringCertificates_AuthenticatesByCertificate()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { Tls = true, BearerToken = "required", ClientCertificates = true, RequireClientCertificate = true });
        using var api = _clients.Open("c", server.Kubeconfig(withClientCertificate: true, token: ""));

        await api.GetVersionAsync();

        Assert.Equal("cert:nodeops-test", Assert.Single(server.Requests).User);
    }

    [Fact]
    public async Task OpensslMadeClientCertificate_RsaTraditionalKey_IsPresentedAndVerified()
    {
        var openssl = await OpensslClientCertificates.CreateAsync("openssl-client");
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions
        {
            Tls = true,
            BearerToken = "required",
            RequireClientCertificate = true,
            ClientCertificateAuthorityPem = openssl.CaPem,
        });
        server.State.AddNode("n1");
        Assert.Contains("BEGIN RSA PRIVATE KEY", openssl.KeyPem, StringComparison.Ordinal);
        using var api = _clients.Open("c", server.Kubeconfig(token: "", clientCertificate: (openssl.CertificatePem, openssl.KeyPem)));

        var nodes = await api.ListNodesAsync();

        Assert.Single(nodes);
        Assert.Equal("cert:openssl-client", Assert.Single(server.Requests).User);
    }

    [Fact]
    public async Task ServerRequiringCertificates_TokenOnly_IsRefusedAtTheHandshake()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { Tls = true, BearerToken = "t", ClientCertificates = true, RequireClientCertificate = true });
        using var api = _clients.Open("c", server.Kubeconfig());

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => api.GetVersionAsync());

        Assert.Equal("Unreachable", error.Reason);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task ServerCertificateFromAnotherCa_IsRejected()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { Tls = true });
        await using var other = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { Tls = true });
        var mismatched = server.Kubeconfig().Replace(B64(server.CertificateAuthorityPem!), B64(other.CertificateAuthorityPem!), StringComparison.Ordinal);
        using var api = _clients.Open("c", mismatched);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => api.GetVersionAsync());

        Assert.Equal("Unreachable", error.Reason);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task ServerCertificateForAnotherName_IsRejected_EvenFromTheRightCa()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { Tls = true });
        using var wrongName = _clients.Open("wrong", server.Kubeconfig(tlsServerName: "api.other.example"));
        using var rightName = _clients.Open("right", server.Kubeconfig(tlsServerName: "localhost"));

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => wrongName.GetVersionAsync());
        await rightName.GetVersionAsync();

        Assert.Equal("Unreachable", error.Reason);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Namespace_ComesFromTheContext_DefaultWhenItNamesNone()
    {
        await using var server = await FakeKubeApiServer.StartAsync();

        using var team = _clients.Open("team", server.Kubeconfig(contextNamespace: "team-a"));
        using var none = _clients.Open("none", server.Kubeconfig(contextNamespace: null));

        Assert.Equal("team-a", team.Namespace);
        Assert.Equal("default", none.Namespace);
        Assert.Equal("fake", team.ContextName);
    }

    [Fact]
    public async Task ListNodes_ReadsReadinessAddressesAndSchedulability_AcrossPages()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        for (var i = 0; i < 1203; i++)
        {
            server.State.AddNode($"n{i:D4}", ready: i != 7, unschedulable: i == 9, internalIp: $"10.1.{i / 250}.{i % 250}");
        }

        using var api = _clients.Open("c", server.Kubeconfig());

        var nodes = await api.ListNodesAsync();

        Assert.Equal(1203, nodes.Count);
        Assert.Equal(1203, nodes.Select(n => n.Name).Distinct().Count());
        Assert.False(nodes.Single(n => n.Name == "n0007").Ready);
        Assert.Equal("Unknown", nodes.Single(n => n.Name == "n0007").ReadyStatus);
        Assert.True(nodes.Single(n => n.Name == "n0009").Unschedulable);
        Assert.Equal(["10.1.4.2"], nodes.Single(n => n.Name == "n1002").InternalIps);
        Assert.NotNull(nodes[0].BootId);
        Assert.True(server.Requests.Count(r => r.PathAndQuery.StartsWith("/api/v1/nodes", StringComparison.Ordinal)) >= 3);
    }

    [Fact]
    public async Task ListNodes_LabelSelector_ReachesTheServer()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.State.AddNode("worker", labels: new Dictionary<string, string> { ["pool"] = "a" });
        server.State.AddNode("other", labels: new Dictionary<string, string> { ["pool"] = "b" });
        using var api = _clients.Open("c", server.Kubeconfig());

        var nodes = await api.ListNodesAsync("pool=a");

        Assert.Equal(["worker"], nodes.Select(n => n.Name));
    }

    [Fact]
    public async Task GetNode_Missing_IsNull_AndPresent_IsRead()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.State.AddNode("n1", internalIp: "10.9.9.9");
        using var api = _clients.Open("c", server.Kubeconfig());

        Assert.Null(await api.GetNodeAsync("nope"));
        Assert.Equal(["10.9.9.9"], (await api.GetNodeAsync("n1"))!.InternalIps);
    }

    [Fact]
    public async Task WrongToken_Is401WithTheStatusReason()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { BearerToken = "right" });
        using var api = _clients.Open("c", server.Kubeconfig(token: "wrong"));

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => api.ListNodesAsync());

        Assert.Equal(401, error.StatusCode);
        Assert.Equal("Unauthorized", error.Reason);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForbiddenResource_CarriesTheServersMessage()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Forbid("nodes");
        using var api = _clients.Open("c", server.Kubeconfig());

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => api.ListNodesAsync());

        Assert.Equal(403, error.StatusCode);
        Assert.Equal("Forbidden", error.Reason);
        Assert.Contains("nodes is forbidden", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cache_SameKubeconfigSharesOneClient_ANewVersionReplacesIt_AndTheOldIsDisposedWhenItsLastHandleEnds()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { Tls = true });
        var first = (KubernetesApi)_clients.Open("c", server.Kubeconfig(token: "one"));
        var second = (KubernetesApi)_clients.Open("c", server.Kubeconfig(token: "one"));
        Assert.Same(first.Connection, second.Connection);

        using var third = (KubernetesApi)_clients.Open("c", server.Kubeconfig(token: "two"));
        Assert.NotSame(first.Connection, third.Connection);

        // The replaced client still serves the handles that hold it, then goes away with the last of them.
        await first.GetVersionAsync();
        first.Dispose();
        Assert.False(second.Connection.IsDisposed);
        second.Dispose();
        Assert.True(second.Connection.IsDisposed);
        await third.GetVersionAsync();
        Assert.Equal(["token:one", "token:two"], server.Requests.Select(r => r.User!));
        Assert.Throws<ObjectDisposedException>(() => first.GetVersionAsync().GetAwaiter().GetResult());
    }

    [Fact]
    public async Task OpenAsync_ReadsTheRegisteredClustersKubeconfig_NullWithoutOne()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        var services = new ServiceCollection()
            .AddSingleton<IKubeconfigSource>(new StaticKubeconfigSource(new Dictionary<string, string> { ["main"] = server.Kubeconfig() }, "main"))
            .AddKubernetesClients()
            .BuildServiceProvider();
        var clients = services.GetRequiredService<IKubernetesClients>();

        using var named = await clients.OpenAsync("main");
        using var byDefault = await clients.OpenAsync(null);
        var missing = await clients.OpenAsync("other");

        Assert.Equal("v1.32.4", (await named!.GetVersionAsync()).GitVersion);
        Assert.NotNull(byDefault);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Requests_GetJson_AndTheFakeFallsBackFromProtobufToJson()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.State.AddNode("n1");
        using var api = _clients.Open("c", server.Kubeconfig());
        using var http = new HttpClient { BaseAddress = server.Server };

        await api.ListNodesAsync();
        using var protobufFirst = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nodes");
        protobufFirst.Headers.TryAddWithoutValidation("Accept", "application/vnd.kubernetes.protobuf,application/json");
        using var fallback = await http.SendAsync(protobufFirst);
        using var protobufOnly = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nodes");
        protobufOnly.Headers.TryAddWithoutValidation("Accept", "application/vnd.kubernetes.protobuf");
        using var refused = await http.SendAsync(protobufOnly);

        // KubernetesClient sends no Accept header (JSON is the server's default); kubectl offers protobuf first.
        Assert.True(server.Requests[0].Accept.Length == 0 || server.Requests[0].Accept.Contains("json", StringComparison.Ordinal), server.Requests[0].Accept);
        Assert.Equal("application/json", fallback.Content.Headers.ContentType!.MediaType);
        Assert.Equal(System.Net.HttpStatusCode.NotAcceptable, refused.StatusCode);
    }

    private static string B64(string pem) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pem));
}
