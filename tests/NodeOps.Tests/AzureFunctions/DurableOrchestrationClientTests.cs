using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using NodeOps.Functions.AzureFunctions;
using NodeOps.Orchestration;

namespace NodeOps.Tests.AzureFunctions;

/// <summary>The Functions host's IOrchestrationClient: what each call asks of the Durable Functions client.</summary>
public sealed class DurableOrchestrationClientTests
{
    private readonly Mock<DurableTaskClient> _durable = new("nodeops");
    private readonly DurableOrchestrationClient _client;

    public DurableOrchestrationClientTests()
    {
        var slot = new DurableClientSlot();
        slot.Use(_durable.Object);
        _client = new DurableOrchestrationClient(slot);
    }

    [Fact]
    public async Task Start_SchedulesTheNamedOrchestratorWithTheInstanceId()
    {
        _durable.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync("ssh-1");

        var id = await _client.StartAsync("ExecutionOrchestrator", new { TaskId = "ssh-1" }, "ssh-1", CancellationToken.None);

        Assert.Equal("ssh-1", id);
        _durable.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(
            It.Is<TaskName>(n => n.Name == "ExecutionOrchestrator"), It.IsNotNull<object>(), It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == "ssh-1"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Get_MapsTheInstance()
    {
        var created = DateTimeOffset.UtcNow.AddMinutes(-1);
        _durable.Setup(c => c.GetInstanceAsync("ssh-1", true, It.IsAny<CancellationToken>())).ReturnsAsync(new OrchestrationMetadata("ExecutionOrchestrator", "ssh-1")
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Failed,
            CreatedAt = created,
            SerializedOutput = "true",
            FailureDetails = new TaskFailureDetails("InvalidOperationException", "lane failed", null, null, null),
        });

        var state = await _client.GetAsync("ssh-1", CancellationToken.None);

        Assert.NotNull(state);
        Assert.Equal("ExecutionOrchestrator", state.Name);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, state.Status);
        Assert.True(state.IsFinished);
        Assert.Equal(created, state.CreatedAt);
        Assert.Equal("lane failed", state.FailureMessage);
        Assert.Null(await _client.GetAsync("ssh-unknown", CancellationToken.None));
    }

    [Fact]
    public async Task Purge_LeavesARunningInstanceAlone()
    {
        _durable.Setup(c => c.GetInstanceAsync("ssh-1", true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata("ExecutionOrchestrator", "ssh-1") { RuntimeStatus = OrchestrationRuntimeStatus.Running });

        Assert.False(await _client.PurgeAsync("ssh-1", CancellationToken.None));
        _durable.Verify(c => c.PurgeInstanceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task WaitForCompletion_GivesNullWhenTheTimeoutPasses()
    {
        _durable.Setup(c => c.WaitForInstanceCompletionAsync("ssh-1", true, It.IsAny<CancellationToken>()))
            .Returns(async (string _, bool _, CancellationToken token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return new OrchestrationMetadata("ExecutionOrchestrator", "ssh-1");
            });

        Assert.Null(await _client.WaitForCompletionAsync("ssh-1", TimeSpan.FromMilliseconds(200), CancellationToken.None));
    }

    [Fact]
    public async Task RaiseAndTerminate_GoToTheInstance()
    {
        await _client.RaiseEventAsync("ssh-1", "cancel", new { By = "admin" }, CancellationToken.None);
        await _client.TerminateAsync("ssh-1", "cancelled", CancellationToken.None);

        _durable.Verify(c => c.RaiseEventAsync("ssh-1", "cancel", It.IsNotNull<object>(), It.IsAny<CancellationToken>()), Times.Once);
        _durable.Verify(c => c.TerminateInstanceAsync("ssh-1", "cancelled", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task NoClientBoundYet_IsAClearError()
    {
        var client = new DurableOrchestrationClient(new DurableClientSlot());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAsync("ssh-1", CancellationToken.None));

        Assert.Contains("DurableTaskClient", error.Message, StringComparison.Ordinal);
    }
}
