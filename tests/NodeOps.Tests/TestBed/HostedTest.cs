namespace NodeOps.Tests.TestBed;

/// <summary>A test class with its own running NodeOps, started before the tests and stopped after them.</summary>
public abstract class HostedTest : IAsyncLifetime
{
    protected TestHost Host { get; private set; } = null!;

    /// <summary>Settings for this class's host, as "Section:Key" pairs.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    public virtual async Task InitializeAsync() => Host = await TestHost.StartAsync(Settings);

    public virtual async Task DisposeAsync() => await Host.DisposeAsync();
}
