using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using NodeOps.Functions.AzureFunctions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.AzureFunctions;

/// <summary>
/// The schedule timer function runs the same evaluator as the standalone host's scheduler: a due schedule starts its
/// run through the Durable client, with the task id derived from the schedule, and a second tick does not fire it again.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class ScheduleFunctionTests(SshNodes nodes) : IAsyncLifetime
{
    private FunctionsTestBed _bed = null!;

    public async Task InitializeAsync() =>
        _bed = await FunctionsTestBed.StartAsync(configureServices: FixtureCatalog.For(nodes.Sshd, "timer").Register);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task TimerTick_FiresADueScheduleOnce_ThroughTheDurableClient()
    {
        var started = new List<string>();
        _bed.DurableClient
            .Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => started.Add(options!.InstanceId!))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => options!.InstanceId!);
        var token = await _bed.LoginAsync();
        var created = await _bed.SendAsync("POST", "/api/v1/automation/schedules", new
        {
            name = "every-second",
            cron = "* * * * * *",
            timezone = "UTC",
            enabled = true,
            concurrency = "allow",
            target = new
            {
                type = "ssh",
                cluster_name = "timer",
                target_nodes = new[] { nodes.Sshd.Nodes[0].Name },
                credential_id = FixtureCatalog.KeyCredentialId,
                command = "uptime",
            },
        }, token);
        Assert.True(created.Status == 201, created.Body);
        var id = created.Json.GetProperty("data").GetProperty("id").GetInt64();
        await Task.Delay(TimeSpan.FromSeconds(2.2)); // a due time (every second) is now behind the clock
        var function = new ScheduleFunction(_bed.Pipeline);

        await function.RunAsync(new TimerInfo(), _bed.DurableClient.Object, FunctionsTestBed.FunctionContextFor().Object);
        var firstTick = started.ToList();
        await function.RunAsync(new TimerInfo(), _bed.DurableClient.Object, FunctionsTestBed.FunctionContextFor().Object);

        var fired = Assert.Single(firstTick);
        Assert.EndsWith("-s" + id, fired, StringComparison.Ordinal);
        Assert.DoesNotContain(fired, started.Skip(1)); // the second tick claims later due times only
        var runs = await _bed.SendAsync("GET", $"/api/v1/automation/schedules/{id}/runs?page_size=100", token: token);
        Assert.True(runs.Status == 200, runs.Body);
        var rows = runs.Json.GetProperty("data").GetProperty("runs").EnumerateArray().ToList();
        Assert.Contains(rows, r => r.GetProperty("status").GetString() == "started" && r.GetProperty("task_id").GetString() == fired);
        Assert.All(rows, r => Assert.NotEqual(JsonValueKind.Undefined, r.GetProperty("due_time").ValueKind));
    }
}
