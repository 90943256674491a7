using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.Executions;
using NodeOps.Tests.TestBed;
using static NodeOps.Tests.Schedules.ScheduleTestKit;

namespace NodeOps.Tests.Schedules;

/// <summary>The standalone host's own scheduler, on real time: a schedule due every minute fires on the nodes within about a minute.</summary>
[Collection(SshNodesCollection.Name)]
public sealed class SchedulerEndToEndTests(SshNodes nodes) : IAsyncLifetime
{
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];
    private TestHost _host = null!;

    private SshdNode Node => nodes.Sshd.Nodes[23];

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(configureServices: FixtureCatalog.For(nodes.Sshd, "e2e-sched").Register);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task EveryMinuteSchedule_FiresOnItsOwn_AndRunsOnTheNode()
    {
        using var admin = await _host.ClientAsync(Role.Admin);
        var created = await CreateAsync(admin, new
        {
            name = "every-minute",
            cron = "* * * * *",
            target = new
            {
                type = "ssh",
                cluster_name = "e2e-sched",
                target_nodes = new[] { Node.Name },
                credential_id = FixtureCatalog.KeyCredentialId,
                command = $"echo tick >> \"$NODEOPS_NODE_DIR/{_token}.log\"",
            },
        });
        var id = created.GetProperty("id").GetInt64();
        var due = created.GetProperty("next_run_at")[0].GetDateTimeOffset();

        var run = await Eventually.GetAsync(
            // "starting" is the claim, held for the moments the start takes.
            async () => (await RunsAsync(admin, id)).Cast<System.Text.Json.JsonElement?>().FirstOrDefault() is { } first && Status(first) != "starting" ? (object)first : null,
            TimeSpan.FromSeconds(100),
            "the first fire");

        var fired = (System.Text.Json.JsonElement)run;
        Assert.Equal("started", Status(fired));
        Assert.Equal(due, fired.GetProperty("due_time").GetDateTimeOffset());
        var status = await ExecutionApiClient.WaitForFinalAsync(admin, "ssh", fired.GetProperty("task_id").GetString()!, TimeSpan.FromSeconds(60));
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(id, status.GetProperty("schedule_id").GetInt64());
        Assert.True(SshdFixture.CountLines(Node, $"{_token}.log") >= 1);
        (await admin.DeleteApiAsync($"{SchedulesPath}/{id}")).AssertStatus(HttpStatusCode.OK);
    }
}
