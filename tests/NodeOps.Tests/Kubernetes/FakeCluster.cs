using Microsoft.Extensions.DependencyInjection;
using NodeOps.Kubernetes;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Kubernetes;

/// <summary>A seeded fake API server and a KubernetesClient handle on it, for the node operation tests.</summary>
public sealed class FakeCluster : IAsyncDisposable
{
    private readonly KubernetesClients _clients = new(new ServiceCollection().BuildServiceProvider());

    private FakeCluster(FakeKubeApiServer server)
    {
        Server = server;
        Api = _clients.Open("fake", server.Kubeconfig());
    }

    public FakeKubeApiServer Server { get; }

    public FakeKubeApiServerState State => Server.State;

    public IKubernetesApi Api { get; }

    public static async Task<FakeCluster> StartAsync(Action<FakeKubeApiServerState> seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var server = await FakeKubeApiServer.StartAsync();
        seed(server.State);
        return new FakeCluster(server);
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        _clients.Dispose();
        await Server.DisposeAsync();
    }
}
