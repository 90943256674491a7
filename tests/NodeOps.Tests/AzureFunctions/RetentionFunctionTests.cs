using Microsoft.Extensions.DependencyInjection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Moq;
using NodeOps.Executions;
using NodeOps.Functions.AzureFunctions;
using NodeOps.Tests.Executions;

namespace NodeOps.Tests.AzureFunctions;

/// <summary>The retention timer function runs the same sweep as the standalone host, purging through the Durable client.</summary>
public sealed class RetentionFunctionTests : IAsyncLifetime
{
    private FunctionsTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await FunctionsTestBed.StartAsync(new Dictionary<string, string?> { ["Executions:RetentionDays"] = "30" });

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task TimerTick_PurgesExpiredExecutionsAndTheirInstances_KeepsRecentOnes()
    {
        var store = _bed.Pipeline.Services.GetRequiredService<ExecutionStore>();
        var old = await RetentionSweepTests.InsertAsync(store, DateTimeOffset.UtcNow.AddDays(-40), ended: true);
        var recent = await RetentionSweepTests.InsertAsync(store, DateTimeOffset.UtcNow.AddDays(-1), ended: true);
        _bed.DurableClient.Setup(c => c.GetInstanceAsync(old, true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata(nameof(ExecutionOrchestrator), old) { RuntimeStatus = OrchestrationRuntimeStatus.Completed });
        _bed.DurableClient.Setup(c => c.PurgeInstanceAsync(old, It.IsAny<CancellationToken>())).ReturnsAsync(new PurgeResult(1));
        var context = FunctionsTestBed.FunctionContextFor();

        var removed = await new RetentionFunction(_bed.Pipeline).RunAsync(new TimerInfo(), _bed.DurableClient.Object, context.Object);

        Assert.Equal(1, removed);
        Assert.Null(await store.GetAsync(old));
        Assert.NotNull(await store.GetAsync(recent));
        _bed.DurableClient.Verify(c => c.PurgeInstanceAsync(old, It.IsAny<CancellationToken>()), Times.Once);
        _bed.DurableClient.Verify(c => c.PurgeInstanceAsync(recent, It.IsAny<CancellationToken>()), Times.Never);
    }
}
