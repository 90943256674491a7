using Microsoft.Extensions.DependencyInjection;
using NodeOps.Orchestration;
using NodeOps.OrchestrationTestHost.Contract;

namespace NodeOps.Tests.Orchestration;

/// <summary>The orchestration runtime composed from configuration exactly as the app composes it, running in the test process.</summary>
public sealed class InProcessOrchestrations : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private InProcessOrchestrations(ServiceProvider provider, OrchestrationRuntime runtime)
    {
        _provider = provider;
        Runtime = runtime;
    }

    public OrchestrationRuntime Runtime { get; }

    public IOrchestrationClient Client => Runtime.Client;

    public static async Task<InProcessOrchestrations> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var provider = ContractServices.Build(settings);
        var runtime = provider.GetRequiredService<OrchestrationRuntime>();
        await runtime.StartAsync(CancellationToken.None);
        return new InProcessOrchestrations(provider, runtime);
    }

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}
