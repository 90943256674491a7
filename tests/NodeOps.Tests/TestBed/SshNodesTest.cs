using NodeOps.Auth;

namespace NodeOps.Tests.TestBed;

/// <summary>A test class with its own NodeOps whose in-test catalog maps the shared sshd nodes, and a signed-in user.</summary>
public abstract class SshNodesTest(SshNodes nodes) : IAsyncLifetime
{
    protected SshNodes Nodes { get; } = nodes;

    protected TestHost Host { get; private set; } = null!;

    protected HttpClient User { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await TestHost.StartAsync(configureServices: FixtureCatalog.For(Nodes.Sshd).Register);
        User = await Host.ClientAsync(Role.User);
    }

    public async Task DisposeAsync()
    {
        User.Dispose();
        await Host.DisposeAsync();
    }
}
