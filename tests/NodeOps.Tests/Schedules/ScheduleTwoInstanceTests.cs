using System.Net;
using NodeOps.Auth;
using NodeOps.Executions;
using NodeOps.Schedules;
using NodeOps.Storage;
using NodeOps.Tests.Executions;
using NodeOps.Tests.TestBed;
using static NodeOps.Tests.Schedules.ScheduleTestKit;

namespace NodeOps.Tests.Schedules;

/// <summary>
/// Two NodeOps instances on one Azurite, both running their in-process scheduler: every due time of a schedule
/// fires exactly once, and the store refuses a second start of the same derived task id.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ScheduleTwoInstanceTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Cluster = "twosched";
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];
    private SshdFixture _sshd = null!;
    private TestHost _first = null!;
    private TestHost _second = null!;

    public async Task InitializeAsync()
    {
        _sshd = await SshdFixture.StartAsync(2, Cluster);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "AzureStorage",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = "s" + Guid.NewGuid().ToString("N")[..8],
        };
        var catalog = FixtureCatalog.For(_sshd, Cluster);
        _first = await TestHost.StartAsync(settings, configureServices: catalog.Register);
        _second = await TestHost.StartAsync(settings, configureServices: catalog.Register);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _sshd.DisposeAsync();
    }

    private object Body(string cron, string command, bool enabled = true) => new
    {
        name = "two-instances",
        cron,
        enabled,
        concurrency = "allow",
        target = new
        {
            type = "ssh",
            cluster_name = Cluster,
            target_nodes = _sshd.Nodes.Select(n => n.Name).ToArray(),
            credential_id = FixtureCatalog.KeyCredentialId,
            command,
            timeout = 60,
        },
    };

    [Fact]
    public async Task BothSchedulersRacing_EveryDueTimeFiresOnce()
    {
        using var admin = await _first.ClientAsync(Role.Admin);
        var command = $"echo fired >> \"$NODEOPS_NODE_DIR/{_token}.log\"";
        var id = (await CreateAsync(admin, Body("*/5 * * * * *", command))).GetProperty("id").GetInt64();

        await Eventually.GetAsync(
            async () => (await RunsAsync(admin, id)).Count(r => Status(r) == "started") >= 4 ? "enough" : null,
            TimeSpan.FromSeconds(90),
            "four started runs");
        (await admin.PutJsonAsync($"{SchedulesPath}/{id}", Body("*/5 * * * * *", command, enabled: false))).AssertStatus(HttpStatusCode.OK);

        var runs = await RunsAsync(admin, id);
        var started = runs.Where(r => Status(r) == "started").Select(r => r.GetProperty("task_id").GetString()!).ToList();
        Assert.Equal(runs.Count, runs.Select(r => r.GetProperty("due_time").GetDateTimeOffset()).Distinct().Count());
        Assert.Equal(started.Count, started.Distinct().Count());
        foreach (var taskId in started)
        {
            Assert.Equal("completed", (await ExecutionApiClient.WaitForFinalAsync(admin, "ssh", taskId, TimeSpan.FromSeconds(90))).GetProperty("status").GetString());
        }

        var history = await admin.GetApiAsync($"/api/v1/automation/ssh/history?schedule_id={id}&page_size=100");
        Assert.Equal(started.Count, history.Data.GetProperty("total").GetInt32());
        Assert.All(_sshd.Nodes, node => Assert.Equal(started.Count, SshdFixture.CountLines(node, $"{_token}.log")));
    }

    [Fact]
    public async Task OneDueTime_FiredByBothInstancesAtOnce_StartsOnce_AndTheStoreRefusesTheSameTaskIdAgain()
    {
        using var admin = await _first.ClientAsync(Role.Admin);
        var command = $"echo once >> \"$NODEOPS_NODE_DIR/{_token}-once.log\"";
        // Once a year: the hosts' own schedulers leave it alone while the test fires it by hand.
        var id = (await CreateAsync(admin, Body("0 0 1 1 *", command))).GetProperty("id").GetInt64();
        var (schedule, _) = (await _first.GetRequiredService<ScheduleStore>().GetAsync(id))!.Value;
        var due = DateTimeOffset.UtcNow.AddSeconds(-1);
        due = new DateTimeOffset(due.UtcTicks - due.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

        var fired = await Task.WhenAll(
            Task.Run(() => _first.GetRequiredService<ScheduleFirer>().FireAsync(schedule, due, ScheduleTrigger.Cron, due)),
            Task.Run(() => _second.GetRequiredService<ScheduleFirer>().FireAsync(schedule, due, ScheduleTrigger.Cron, due)));

        var run = Assert.Single(fired, r => r is not null)!;
        Assert.Equal(ScheduleRunStatus.Started, run.Status);
        await ExecutionApiClient.WaitForFinalAsync(admin, "ssh", run.TaskId!);
        Assert.All(_sshd.Nodes, node => Assert.Equal(1, SshdFixture.CountLines(node, $"{_token}-once.log")));

        // Even without the run row's claim, a second start of the derived task id is refused by the store.
        var starter = _second.GetRequiredService<ScheduleTargets>().Get("ssh");
        var target = ScheduleTarget.Parse(schedule.Target);
        await Assert.ThrowsAnyAsync<TableStoreException>(() => starter.StartAsync(target.Body, new Actor(1, "admin", Role.Admin), run.TaskId!, id));
        Assert.All(_sshd.Nodes, node => Assert.Equal(1, SshdFixture.CountLines(node, $"{_token}-once.log")));
        Assert.NotNull(await _first.GetRequiredService<ExecutionStore>().GetAsync(run.TaskId!));
    }
}
