namespace NodeOps.Tests.TestBed;

/// <summary>One set of sshd nodes shared by the tests that run commands on nodes; each test uses its own cluster name and files.</summary>
[CollectionDefinition(Name)]
public sealed class SshNodesCollection : ICollectionFixture<SshNodes>
{
    public const string Name = "SshNodes";
}

/// <summary>24 sshd nodes, started once for the collection and stopped (by PID) when it ends.</summary>
public sealed class SshNodes : IAsyncLifetime
{
    public const int Count = 24;

    public SshdFixture Sshd { get; private set; } = null!;

    public async Task InitializeAsync() => Sshd = await SshdFixture.StartAsync(Count);

    public async Task DisposeAsync() => await Sshd.DisposeAsync();
}
