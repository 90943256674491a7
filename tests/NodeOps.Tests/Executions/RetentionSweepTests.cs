using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodeOps.Executions;
using NodeOps.Orchestration;
using NodeOps.Scheduling;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

public sealed class RetentionSweepTests
{
    [Fact]
    public async Task SweepOnce_RemovesOnlyExecutionsThatEndedBeforeTheRetentionPeriod_WithTheirNodes()
    {
        using var storage = StorageTestHost.Sqlite();
        var store = new ExecutionStore(storage.Tables);
        var now = new DateTimeOffset(2025, 11, 1, 12, 0, 0, TimeSpan.Zero);
        var old = await InsertAsync(store, now.AddDays(-40), ended: true);
        var recent = await InsertAsync(store, now.AddDays(-1), ended: true);
        var running = await InsertAsync(store, now.AddDays(-90), ended: false);
        using var backend = OrchestrationBackend.Sqlite(Path.Combine(storage.Folder, "orchestration.db"), new OrchestrationOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        await backend.Service.CreateIfNotExistsAsync();
        var orchestrations = new TaskHubOrchestrationClient(backend, TimeProvider.System, NullLoggerFactory.Instance);
        var sweep = new RetentionSweep(store, orchestrations, new FixedTime(now), Options.Create(new ExecutionsOptions { RetentionDays = 30 }), NullLogger<RetentionSweep>.Instance);

        var removed = await sweep.SweepOnceAsync();

        Assert.Equal(1, removed);
        Assert.Null(await store.GetAsync(old));
        Assert.Empty(await store.ListResultsAsync(old));
        Assert.NotNull(await store.GetAsync(recent));
        Assert.NotNull(await store.GetAsync(running));
        Assert.Single(await store.ListResultsAsync(recent));
    }

    internal static async Task<string> InsertAsync(ExecutionStore store, DateTimeOffset at, bool ended)
    {
        var execution = new ExecutionRecord
        {
            TaskId = TaskIds.New("ssh", at),
            Id = 1,
            Kind = "ssh",
            ClusterName = "c",
            TargetNodes = ["n1"],
            Payload = JsonSerializer.SerializeToElement(new { command = "true" }),
            CreatedAt = at,
            Status = ended ? ExecutionStatus.Completed : ExecutionStatus.Running,
            EndedAt = ended ? at.AddMinutes(1) : null,
        };
        await store.InsertAsync(execution, [new NodeResultRecord { Node = "n1", Address = "127.0.0.1", Port = 22, Index = 0 }]);
        return execution.TaskId;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
