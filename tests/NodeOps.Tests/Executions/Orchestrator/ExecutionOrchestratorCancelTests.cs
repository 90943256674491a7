using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodeOps.Executions;
using NodeOps.Hosting;
using NodeOps.Orchestration;
using NodeOps.Tests.Orchestration;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions.Orchestrator;

/// <summary>
/// The real <see cref="ExecutionOrchestrator"/> on the SQLite backend, with stand-in activities that always ask it
/// to wait an hour: the cancel event is what ends the run, the lanes are not called again, and it finalizes.
/// </summary>
public sealed class ExecutionOrchestratorCancelTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly string _folder = Directory.CreateTempSubdirectory("nodeops-orchestrator-").FullName;
    private ServiceProvider? _provider;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Cancel_WhileLanesWaitToBeCalledAgain_EndsTheRunWithoutCallingThemAgain()
    {
        var log = new StandInLog();
        var client = await StartAsync(log);
        await client.StartAsync(nameof(ExecutionOrchestrator), new ExecutionStart("ssh-exec-1", ["lane-0", "lane-1", "lane-2"]), "ssh-exec-1", CancellationToken.None);
        await Eventually.GetAsync(() => Task.FromResult(log.LaneCalls.Count == 3 ? log : null), Patience, "three lanes called");

        log.CancelRecorded = true;
        await client.RaiseEventAsync("ssh-exec-1", ExecutionOrchestrator.CancelEvent, "admin", CancellationToken.None);
        var state = await client.WaitForCompletionAsync("ssh-exec-1", Patience, CancellationToken.None);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, state?.Status);
        Assert.All(log.LaneCalls.Values, calls => Assert.Equal(1, calls));
        Assert.Equal(1, log.FinalizeCalls);
    }

    [Fact]
    public async Task Cancel_WhileWaitingForAdmission_AdmitsAtOnceAndFinalizes()
    {
        var log = new StandInLog { AdmissionBlocked = true };
        var client = await StartAsync(log);
        await client.StartAsync(nameof(ExecutionOrchestrator), new ExecutionStart("ansible-exec-1", ["run"]), "ansible-exec-1", CancellationToken.None);
        await Eventually.GetAsync(() => Task.FromResult(log.AdmitCalls >= 1 ? log : null), Patience, "admission asked");

        log.CancelRecorded = true;
        await client.RaiseEventAsync("ansible-exec-1", ExecutionOrchestrator.CancelEvent, "admin", CancellationToken.None);
        var state = await client.WaitForCompletionAsync("ansible-exec-1", Patience, CancellationToken.None);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, state?.Status);
        // Asked once before the cancel and once after it, not an hour later.
        Assert.Equal(2, log.AdmitCalls);
        // The lane still runs once (its handler sees the cancel and releases what it holds), then the run finalizes.
        Assert.Equal(1, log.LaneCalls["run"]);
        Assert.Equal(1, log.FinalizeCalls);
    }

    private async Task<IOrchestrationClient> StartAsync(StandInLog log)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(OrchestrationStores.Sqlite(_folder)).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(new DataFolder(_folder));
        services.AddSingleton(log);
        services.AddNodeOpsOrchestration(configuration, registry => registry
            .AddOrchestrator<ExecutionOrchestrator>()
            .AddActivity<AdmitExecution>()
            .AddActivity<RunLane>()
            .AddActivity<FinalizeExecution>());
        _provider = services.BuildServiceProvider();
        var runtime = _provider.GetRequiredService<OrchestrationRuntime>();
        await runtime.StartAsync(CancellationToken.None);
        return runtime.Client;
    }
}
