using Microsoft.DurableTask.Client;
using NodeOps.Orchestration;
using NodeOps.OrchestrationTestHost.Contract;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Orchestration;

/// <summary>
/// The behaviour every orchestration backend must have, run against each one on a fresh store per test: chains,
/// fan-out/fan-in, durable timers, external events, sub-orchestrations, continue-as-new, terminate, purge, queries
/// and payloads larger than a queue message.
/// </summary>
public abstract class OrchestrationContract : IAsyncLifetime
{
    /// <summary>Generous: the machine is shared and slow; a healthy run finishes far sooner.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private InProcessOrchestrations? _orchestrations;

    protected string Folder { get; } = Directory.CreateTempSubdirectory("nodeops-orchestration-").FullName;

    protected IOrchestrationClient Client => _orchestrations!.Client;

    /// <summary>Configuration for a store no other test uses.</summary>
    protected abstract Dictionary<string, string?> NewStore();

    public async Task InitializeAsync() => _orchestrations = await InProcessOrchestrations.StartAsync(NewStore());

    public async Task DisposeAsync()
    {
        if (_orchestrations is not null)
        {
            await _orchestrations.DisposeAsync();
        }

        Directory.Delete(Folder, recursive: true);
    }

    [Fact]
    public async Task A_chain_of_100_activities_runs_in_order_and_completes()
    {
        var result = await RunAsync<WorkResult>(nameof(ChainOrchestrator), new WorkInput(100, 0));

        Assert.Equal(Expected.SumOfSquares(100), result.Sum);
    }

    [Fact]
    public async Task A_fan_out_of_500_activities_fans_back_in()
    {
        var result = await RunAsync<WorkResult>(nameof(FanOutOrchestrator), new WorkInput(500, 0));

        Assert.Equal(Expected.SumOfSquares(500), result.Sum);
    }

    [Fact]
    public async Task A_durable_timer_fires_no_earlier_than_asked()
    {
        var moved = await RunAsync<double>(nameof(TimerOrchestrator), 3);

        // Azure Storage queues delay messages in whole seconds, so its timers may fire up to a second early.
        Assert.True(moved >= 2, $"orchestration time moved {moved} s across a 3 s timer");
    }

    [Fact]
    public async Task An_external_event_resumes_the_waiting_instance_with_its_payload()
    {
        var id = await Client.StartAsync(nameof(ApprovalOrchestrator), "approval", null, CancellationToken.None);
        await Eventually.GetAsync(async () => await Client.GetAsync(id, CancellationToken.None) is { } state
            && state.ReadCustomStatus<string>() == ApprovalOrchestrator.Waiting ? state : null, Patience, "the instance waiting for its event");

        await Client.RaiseEventAsync(id, "approval", "alice", CancellationToken.None);

        var done = await Client.WaitForCompletionAsync(id, Patience, CancellationToken.None);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done?.Status);
        Assert.Equal("approved:alice", done!.ReadOutput<string>());
    }

    [Fact]
    public async Task Sub_orchestrations_run_and_report_to_their_parent()
    {
        var sum = await RunAsync<long>(nameof(ParentOrchestrator), 4);

        Assert.Equal(4 * Expected.SumOfSquares(5), sum);
    }

    [Fact]
    public async Task Continue_as_new_starts_fresh_executions_until_done()
    {
        var final = await RunAsync<int>(nameof(CounterOrchestrator), new CounterInput(0, 5));

        Assert.Equal(5, final);
    }

    [Fact]
    public async Task Terminate_stops_a_waiting_instance_and_purge_then_removes_it()
    {
        var id = await Client.StartAsync(nameof(ApprovalOrchestrator), "never-sent", null, CancellationToken.None);
        await Eventually.GetAsync(async () => await Client.GetAsync(id, CancellationToken.None) is { Status: OrchestrationRuntimeStatus.Running } state ? state : null,
            Patience, "the instance running");
        Assert.False(await Client.PurgeAsync(id, CancellationToken.None));

        await Client.TerminateAsync(id, "test says stop", CancellationToken.None);

        var done = await Client.WaitForCompletionAsync(id, Patience, CancellationToken.None);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done?.Status);
        Assert.True(await Client.PurgeAsync(id, CancellationToken.None));
        Assert.Null(await Client.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task A_payload_over_64_KB_travels_through_an_activity_intact()
    {
        var payload = string.Concat(Enumerable.Range(0, 9000).Select(i => i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture) + ","));
        Assert.True(payload.Length > 64 * 1024);

        var echoed = await RunAsync<string>(nameof(EchoOrchestrator), payload);

        Assert.Equal(payload, echoed);
    }

    [Fact]
    public async Task Starting_an_id_that_is_still_running_is_refused_and_queries_find_instances_by_prefix()
    {
        var prefix = "q" + Guid.NewGuid().ToString("N")[..8];
        await Client.StartAsync(nameof(ApprovalOrchestrator), "never-sent", prefix + "-waiting", CancellationToken.None);
        await Assert.ThrowsAnyAsync<Exception>(() => Client.StartAsync(nameof(ApprovalOrchestrator), "never-sent", prefix + "-waiting", CancellationToken.None));
        await RunAsync<WorkResult>(nameof(ChainOrchestrator), new WorkInput(1, 0), prefix + "-done");

        var page = await Client.QueryAsync(new OrchestrationInstanceFilter(InstanceIdPrefix: prefix), CancellationToken.None);
        var completed = await Client.QueryAsync(
            new OrchestrationInstanceFilter(Statuses: [OrchestrationRuntimeStatus.Completed], InstanceIdPrefix: prefix), CancellationToken.None);

        Assert.Equal([prefix + "-done", prefix + "-waiting"], page.Instances.Select(i => i.InstanceId).Order());
        Assert.Equal([prefix + "-done"], completed.Instances.Select(i => i.InstanceId));
    }

    private async Task<T> RunAsync<T>(string orchestrator, object input, string? instanceId = null)
    {
        var id = await Client.StartAsync(orchestrator, input, instanceId, CancellationToken.None);
        var done = await Client.WaitForCompletionAsync(id, Patience, CancellationToken.None);
        Assert.NotNull(done);
        Assert.True(done.Status == OrchestrationRuntimeStatus.Completed, $"{orchestrator} ended {done.Status}: {done.FailureMessage}");
        return done.ReadOutput<T>()!;
    }
}
