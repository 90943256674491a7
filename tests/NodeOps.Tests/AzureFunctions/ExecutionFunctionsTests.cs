using Microsoft.Extensions.DependencyInjection;
using Microsoft.DurableTask;
using Moq;
using NodeOps.Executions;
using NodeOps.Functions.AzureFunctions;

namespace NodeOps.Tests.AzureFunctions;

/// <summary>The orchestrator wrapper runs ExecutionOrchestrator on the context the Durable extension gives it.</summary>
public sealed class ExecutionFunctionsTests : IAsyncLifetime
{
    private FunctionsTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await FunctionsTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task OrchestratorWrapper_AdmitsRunsEveryLaneAndFinalizes()
    {
        var context = new Mock<TaskOrchestrationContext> { CallBase = true };
        context.Setup(c => c.GetInput<ExecutionStart>()).Returns(new ExecutionStart("ssh-1", ["lane-a", "lane-b"]));
        context.Setup(c => c.CallActivityAsync<TimeSpan?>(It.Is<TaskName>(n => n.Name == nameof(AdmitExecution)), "ssh-1", null))
            .ReturnsAsync((TimeSpan?)null);
        context.Setup(c => c.CallActivityAsync<LaneOutcome>(It.Is<TaskName>(n => n.Name == nameof(RunLane)), It.IsAny<LaneInput>(), null))
            .ReturnsAsync(LaneOutcome.Done);
        context.Setup(c => c.CallActivityAsync<object>(It.Is<TaskName>(n => n.Name == nameof(FinalizeExecution)), "ssh-1", null))
            .ReturnsAsync(true);

        var output = await new ExecutionFunctions(_bed.Pipeline).RunExecutionOrchestrator(context.Object);

        Assert.Equal(true, output);
        context.Verify(c => c.CallActivityAsync<LaneOutcome>(It.Is<TaskName>(n => n.Name == nameof(RunLane)), new LaneInput("ssh-1", "lane-a"), null), Times.Once);
        context.Verify(c => c.CallActivityAsync<LaneOutcome>(It.Is<TaskName>(n => n.Name == nameof(RunLane)), new LaneInput("ssh-1", "lane-b"), null), Times.Once);
        context.Verify(c => c.CallActivityAsync<object>(It.Is<TaskName>(n => n.Name == nameof(FinalizeExecution)), "ssh-1", null), Times.Once);
    }

    [Fact]
    public async Task OrchestratorWrapper_KindWithoutAdmission_GoesStraightToItsLanes()
    {
        var context = new Mock<TaskOrchestrationContext> { CallBase = true };
        context.Setup(c => c.GetInput<ExecutionStart>()).Returns(new ExecutionStart("ssh-3", ["lane-a"], Admit: false));
        context.Setup(c => c.CallActivityAsync<LaneOutcome>(It.Is<TaskName>(n => n.Name == nameof(RunLane)), It.IsAny<LaneInput>(), null))
            .ReturnsAsync(LaneOutcome.Done);
        context.Setup(c => c.CallActivityAsync<object>(It.Is<TaskName>(n => n.Name == nameof(FinalizeExecution)), "ssh-3", null))
            .ReturnsAsync(true);

        Assert.Equal(true, await new ExecutionFunctions(_bed.Pipeline).RunExecutionOrchestrator(context.Object));

        context.Verify(c => c.CallActivityAsync<TimeSpan?>(It.Is<TaskName>(n => n.Name == nameof(AdmitExecution)), It.IsAny<object?>(), null), Times.Never);
        context.Verify(c => c.CallActivityAsync<LaneOutcome>(It.Is<TaskName>(n => n.Name == nameof(RunLane)), new LaneInput("ssh-3", "lane-a"), null), Times.Once);
        context.Verify(c => c.CallActivityAsync<object>(It.Is<TaskName>(n => n.Name == nameof(FinalizeExecution)), "ssh-3", null), Times.Once);
    }

    [Fact]
    public async Task OrchestratorWrapper_WaitsOnADurableTimerWhileTheKindDefersAdmission()
    {
        var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var context = new Mock<TaskOrchestrationContext> { CallBase = true };
        context.Setup(c => c.GetInput<ExecutionStart>()).Returns(new ExecutionStart("ssh-2", ["lane-a"]));
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(now);
        // No cancel arrives (a loose mock would hand back a completed event, and a cancelled run skips its timers).
        context.Setup(c => c.WaitForExternalEvent<string>(ExecutionOrchestrator.CancelEvent, It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<string>().Task);
        context.SetupSequence(c => c.CallActivityAsync<TimeSpan?>(It.Is<TaskName>(n => n.Name == nameof(AdmitExecution)), "ssh-2", null))
            .ReturnsAsync(TimeSpan.FromSeconds(30))
            .ReturnsAsync((TimeSpan?)null);
        context.Setup(c => c.CreateTimer(now.AddSeconds(30), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        context.Setup(c => c.CallActivityAsync<LaneOutcome>(It.Is<TaskName>(n => n.Name == nameof(RunLane)), It.IsAny<LaneInput>(), null)).ReturnsAsync(LaneOutcome.Done);
        context.Setup(c => c.CallActivityAsync<object>(It.Is<TaskName>(n => n.Name == nameof(FinalizeExecution)), "ssh-2", null)).ReturnsAsync(true);

        await new ExecutionFunctions(_bed.Pipeline).RunExecutionOrchestrator(context.Object);

        context.Verify(c => c.CreateTimer(now.AddSeconds(30), It.IsAny<CancellationToken>()), Times.Once);
        context.Verify(c => c.CallActivityAsync<TimeSpan?>(It.IsAny<TaskName>(), "ssh-2", null), Times.Exactly(2));
    }

    [Fact]
    public async Task ActivityWrapper_RunsTheActivityOnNodeOpsServices()
    {
        // A pending execution of a kind this instance does not know: the real activity, store and runner say "ask again later".
        var taskId = TaskIds.New("futurekind", DateTimeOffset.UtcNow);
        await _bed.Pipeline.Services.GetRequiredService<ExecutionStore>().InsertAsync(new ExecutionRecord
        {
            TaskId = taskId,
            Id = 1,
            Kind = "futurekind",
            ClusterName = "c",
            TargetNodes = ["n1"],
            Payload = System.Text.Json.JsonSerializer.SerializeToElement(new { }),
            CreatedAt = DateTimeOffset.UtcNow,
        }, [new NodeResultRecord { Node = "n1", Address = "127.0.0.1", Port = 22, Index = 0 }]);
        var context = FunctionsTestBed.FunctionContextFor(bindingData: new Dictionary<string, object?> { ["instanceId"] = taskId });

        var wait = await new ExecutionFunctions(_bed.Pipeline).RunAdmitExecution(taskId, context.Object);

        Assert.Equal(_bed.Pipeline.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ExecutionsOptions>>().Value.UnknownKindRetry, wait);
    }
}
