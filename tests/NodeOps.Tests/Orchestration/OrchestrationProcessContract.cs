using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Orchestration;
using NodeOps.OrchestrationTestHost.Contract;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Orchestration;

/// <summary>
/// Orchestration workers in separate processes on one store: one killed with SIGKILL mid-run and another started on
/// the same store finishes the instance with the right result; two running side by side share the work. The test
/// process itself only starts and reads instances (its runtime is never started, so it takes no work).
/// </summary>
public abstract class OrchestrationProcessContract : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private readonly List<OrchestrationChildProcess> _children = [];
    private ServiceProvider? _clientServices;

    protected string Folder { get; } = Directory.CreateTempSubdirectory("nodeops-orchestration-process-").FullName;

    /// <summary>Configuration for a store no other test uses.</summary>
    protected abstract Dictionary<string, string?> NewStore();

    [Fact]
    public async Task A_worker_killed_mid_run_is_replaced_on_the_same_store_and_the_instance_completes_right()
    {
        var store = NewStore();
        var first = await StartChildAsync(store);
        var client = await ClientAsync(store);
        var id = await client.StartAsync(nameof(ChainOrchestrator), new WorkInput(30, 200), null, CancellationToken.None);
        var midway = await Eventually.GetAsync(async () => await client.GetAsync(id, CancellationToken.None) is { } state
            && state.ReadCustomStatus<int?>() >= 5 ? state : null, Patience, "five steps of the chain");
        Assert.False(midway.IsFinished);

        first.Kill();
        Assert.True(first.HasExited);
        var afterKill = await client.GetAsync(id, CancellationToken.None);
        Assert.False(afterKill!.IsFinished);
        await StartChildAsync(store);

        var done = await client.WaitForCompletionAsync(id, Patience, CancellationToken.None);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done?.Status);
        Assert.Equal(Expected.SumOfSquares(30), done!.ReadOutput<WorkResult>()!.Sum);
    }

    [Fact]
    public async Task Two_workers_on_one_store_share_a_fan_out()
    {
        var store = NewStore();
        store["Orchestration:MaxConcurrentActivities"] = "4";
        var one = await StartChildAsync(store);
        var two = await StartChildAsync(store);
        var client = await ClientAsync(store);

        var id = await client.StartAsync(nameof(FanOutOrchestrator), new WorkInput(80, 100), null, CancellationToken.None);

        var done = await client.WaitForCompletionAsync(id, Patience, CancellationToken.None);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done?.Status);
        var result = done!.ReadOutput<WorkResult>()!;
        Assert.Equal(Expected.SumOfSquares(80), result.Sum);
        Assert.Equal(new[] { one.ProcessId, two.ProcessId }.Order(), result.ProcessIds);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var child in _children)
        {
            child.Dispose();
        }

        if (_clientServices is not null)
        {
            await _clientServices.DisposeAsync();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file a killed process still held; the temp folder is cleaned by the OS eventually.
        }
    }

    private async Task<OrchestrationChildProcess> StartChildAsync(Dictionary<string, string?> store)
    {
        var child = await OrchestrationChildProcess.StartAsync(store);
        _children.Add(child);
        return child;
    }

    /// <summary>A client on the store; the runtime around it is composed but never started, so this process runs no work.</summary>
    private Task<IOrchestrationClient> ClientAsync(Dictionary<string, string?> store)
    {
        _clientServices = ContractServices.Build(store);
        return Task.FromResult(_clientServices.GetRequiredService<IOrchestrationClient>());
    }
}
