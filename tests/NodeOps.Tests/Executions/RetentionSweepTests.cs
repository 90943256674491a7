using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodeOps.Executions;
using NodeOps.Orchestration;
using NodeOps.Schedules;
using NodeOps.Scheduling;
using NodeOps.Tests.TestBed;
using NodeOps.Workflows.Runs;

namespace NodeOps.Tests.Executions;

/// <summary>The retention sweep on a SQLite store: executions with their rows and instances, and the participants' rows.</summary>
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

        var removed = await SweepOnceAsync(storage, store, now);

        Assert.Equal(1, removed);
        Assert.Null(await store.GetAsync(old));
        Assert.Empty(await store.ListResultsAsync(old));
        Assert.NotNull(await store.GetAsync(recent));
        Assert.NotNull(await store.GetAsync(running));
        Assert.Single(await store.ListResultsAsync(recent));
    }

    [Fact]
    public async Task SweepOnce_RemovesAWorkflowRunsStepRowsWithIt_AndScheduleRunsDueBeforeTheCutoff_KeepingEachTriggersNewest()
    {
        using var storage = StorageTestHost.Sqlite();
        var store = new ExecutionStore(storage.Tables);
        var steps = new WorkflowStepStore(storage.Tables);
        var schedules = new ScheduleStore(storage.Tables);
        var now = new DateTimeOffset(2025, 11, 1, 12, 0, 0, TimeSpan.Zero);
        var old = await InsertAsync(store, now.AddDays(-40), ended: true);
        var recent = await InsertAsync(store, now.AddDays(-1), ended: true);
        foreach (var taskId in new[] { old, recent })
        {
            Assert.NotNull(await steps.TryWriteAsync(taskId, new StepNodeRecord { StepId = "s1", Node = "n1", Status = StepNodeStatus.Success, Attempt = 1 }, null));
        }

        await schedules.InsertAsync(new ScheduleRecord { Id = 7, Name = "nightly", Cron = "0 3 * * *", Target = [] });
        (int Days, ScheduleTrigger Trigger)[] runs = [(-50, ScheduleTrigger.Cron), (-40, ScheduleTrigger.Cron), (-1, ScheduleTrigger.Cron), (-60, ScheduleTrigger.RunNow), (-45, ScheduleTrigger.RunNow)];
        foreach (var (days, trigger) in runs)
        {
            Assert.True(await schedules.TryClaimAsync(new ScheduleRun { ScheduleId = 7, DueTime = now.AddDays(days), Trigger = trigger, Status = ScheduleRunStatus.Started }));
        }

        var removed = await SweepOnceAsync(storage, store, now, steps, schedules);

        Assert.Equal(1, removed);
        Assert.Empty(await steps.ListAsync(old));
        Assert.Single(await steps.ListAsync(recent));
        // Kept: the cron run inside the retention period, and the newest run-now although it is older.
        var (kept, total) = await schedules.ListRunsAsync(7, 0, 100);
        Assert.Equal(2, total);
        Assert.Equal([(now.AddDays(-1), ScheduleTrigger.Cron), (now.AddDays(-45), ScheduleTrigger.RunNow)], kept.Select(r => (r.DueTime, r.Trigger)));
    }

    private static async Task<int> SweepOnceAsync(StorageTestHost storage, ExecutionStore store, DateTimeOffset now, params IRetentionParticipant[] participants)
    {
        using var backend = OrchestrationBackend.Sqlite(Path.Combine(storage.Folder, "orchestration.db"), new OrchestrationOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        await backend.Service.CreateIfNotExistsAsync();
        var orchestrations = new TaskHubOrchestrationClient(backend, TimeProvider.System, NullLoggerFactory.Instance);
        var sweep = new RetentionSweep(store, orchestrations, participants, new FixedTime(now), Options.Create(new ExecutionsOptions { RetentionDays = 30 }), NullLogger<RetentionSweep>.Instance);
        return await sweep.SweepOnceAsync();
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
