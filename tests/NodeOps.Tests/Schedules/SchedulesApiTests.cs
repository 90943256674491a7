using System.Net;
using System.Text.Json;
using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Schedules;
using NodeOps.Tests.Executions;
using NodeOps.Tests.TestBed;
using static NodeOps.Tests.Schedules.ScheduleTestKit;

namespace NodeOps.Tests.Schedules;

/// <summary>
/// The schedules API on a real NodeOps with real sshd nodes: roles, validation by the execute routes' own checks,
/// run-now, and firing by the evaluator on a clock the test moves (windows, concurrency, missed fires, disable).
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class SchedulesApiTests(SshNodes nodes) : IAsyncLifetime
{
    private const string Cluster = "sched";
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];
    private TestHost _host = null!;
    private HttpClient _admin = null!;

    private SshdNode Node => nodes.Sshd.Nodes[20];

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(ManualSettings, configureServices: FixtureCatalog.For(nodes.Sshd, Cluster).Register);
        _admin = await _host.ClientAsync(Role.Admin);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
    }

    private object SshTarget(string command, string? node = null) => new
    {
        type = "ssh",
        cluster_name = Cluster,
        target_nodes = new[] { node ?? Node.Name },
        credential_id = FixtureCatalog.KeyCredentialId,
        command,
        timeout = 60,
    };

    private object Body(string cron, object target, object? window = null, string concurrency = "skip", string timezone = "UTC", string name = "nightly") =>
        new { name, cron, timezone, enabled = true, window, concurrency, target };

    private string LogCommand(string tag) => $"echo {tag} >> \"$NODEOPS_NODE_DIR/{_token}-{tag}.log\"";

    [Fact]
    public async Task AdminsWrite_UsersAndViewersRead_AnswersCarryNextRunsAndLastRun()
    {
        using var user = await _host.ClientAsync(Role.User);
        using var viewer = await _host.ClientAsync(Role.Viewer);
        var body = Body("0 2 * * *", SshTarget("uptime"), new { start = "01:00", end = "05:00", days = new[] { "mon", "tue", "wed", "thu", "fri" } }, timezone: "Europe/Berlin");

        (await user.PostJsonAsync(SchedulesPath, body)).AssertStatus(HttpStatusCode.Forbidden);
        var created = await CreateAsync(_admin, body);
        var id = created.GetProperty("id").GetInt64();

        var next = created.GetProperty("next_run_at").EnumerateArray().Select(e => e.GetDateTimeOffset()).ToList();
        Assert.Equal(3, next.Count);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.All(next, due => Assert.Equal(new TimeSpan(2, 0, 0), TimeZoneInfo.ConvertTime(due, berlin).TimeOfDay));
        Assert.Equal(JsonValueKind.Null, created.GetProperty("last_run").ValueKind);
        Assert.Equal("skip", created.GetProperty("concurrency").GetString());
        Assert.Equal("uptime", created.GetProperty("target").GetProperty("command").GetString());

        var read = await viewer.GetApiAsync($"{SchedulesPath}/{id}");
        read.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("nightly", read.Data.GetProperty("name").GetString());
        var list = await user.GetApiAsync(SchedulesPath);
        list.AssertStatus(HttpStatusCode.OK);
        Assert.Contains(list.Data.GetProperty("schedules").EnumerateArray(), s => s.GetProperty("id").GetInt64() == id);
        (await viewer.GetApiAsync($"{SchedulesPath}/{id}/runs")).AssertStatus(HttpStatusCode.OK);

        (await viewer.PutJsonAsync($"{SchedulesPath}/{id}", body)).AssertStatus(HttpStatusCode.Forbidden);
        (await user.PostJsonAsync($"{SchedulesPath}/{id}/run-now", new { })).AssertStatus(HttpStatusCode.Forbidden);
        (await user.DeleteApiAsync($"{SchedulesPath}/{id}")).AssertStatus(HttpStatusCode.Forbidden);
        var disabled = await _admin.PutJsonAsync($"{SchedulesPath}/{id}", new { name = "nightly", cron = "0 2 * * *", timezone = "Europe/Berlin", enabled = false, target = SshTarget("uptime") });
        disabled.AssertStatus(HttpStatusCode.OK);
        Assert.Empty(disabled.Data.GetProperty("next_run_at").EnumerateArray());
        (await _admin.PostJsonAsync($"{SchedulesPath}/{id}/run-now", new { })).AssertError(HttpStatusCode.Conflict);

        (await _admin.DeleteApiAsync($"{SchedulesPath}/{id}")).AssertStatus(HttpStatusCode.OK);
        (await viewer.GetApiAsync($"{SchedulesPath}/{id}")).AssertError(HttpStatusCode.NotFound);
        var audit = await _host.GetRequiredService<AuditLog>().ListAsync("schedules", 50);
        Assert.Equal(["create", "update", "delete"], audit.Where(a => a.Details.StartsWith($"schedule {id}", StringComparison.Ordinal)).Select(a => a.Action).Reverse());
    }

    [Fact]
    public async Task InvalidInput_IsRefusedNamingTheField()
    {
        async Task Refused(object body, HttpStatusCode status, string field, string? message = null)
        {
            var response = await _admin.PostJsonAsync(SchedulesPath, body);
            response.AssertError(status, field);
            if (message is not null)
            {
                Assert.Contains(message, response.Body, StringComparison.Ordinal);
            }
        }

        await Refused(Body("61 * * * *", SshTarget("uptime")), HttpStatusCode.UnprocessableEntity, "cron");
        await Refused(Body("0 2 * * *", SshTarget("uptime"), timezone: "Mars/Olympus_Mons"), HttpStatusCode.UnprocessableEntity, "timezone");
        await Refused(Body("0 2 * * *", SshTarget("uptime"), new { start = "05:00", end = "01:00" }), HttpStatusCode.UnprocessableEntity, "window.end");
        await Refused(Body("0 2 * * *", SshTarget("uptime"), new { start = "01:00", end = "05:00", days = new[] { "someday" } }), HttpStatusCode.UnprocessableEntity, "window.days");
        await Refused(Body("0 2 * * *", SshTarget("uptime"), concurrency: "sometimes"), HttpStatusCode.BadRequest, "concurrency", "skip, allow");
        await Refused(Body("0 2 * * *", new { type = "telnet" }), HttpStatusCode.UnprocessableEntity, "target.type", "ssh, script, ansible, workflow");
        await Refused(Body("0 2 * * *", new { type = "ssh", cluster_name = Cluster, target_nodes = new[] { Node.Name }, credential_id = 1 }), HttpStatusCode.BadRequest, "target.command");
        await Refused(Body("0 2 * * *", new { type = "ssh", cluster_name = Cluster, target_nodes = new[] { Node.Name }, credential_id = 1, command = "uptime", colour = "red" }),
            HttpStatusCode.BadRequest, "target.colour");
        await Refused(Body("0 2 * * *", new { type = "ssh", cluster_name = Cluster, nodes_selector = new { label = "no equals sign" }, credential_id = 1, command = "uptime" }),
            HttpStatusCode.UnprocessableEntity, "target.nodes_selector.label");

        // What the execute route refuses, the schedule refuses too, by the same check, named under "target".
        using var user = await _host.ClientAsync(Role.User);
        foreach (var (target, field) in new[] { (SshTarget("uptime", "ghost-node"), "target_nodes"), (SshTarget("rm -rf /"), (string?)null) })
        {
            var execute = await user.PostJsonAsync("/api/v1/automation/ssh/execute", RemoveType(target));
            var schedule = await _admin.PostJsonAsync(SchedulesPath, Body("0 2 * * *", target));
            Assert.Equal(execute.Status, schedule.Status);
            Assert.Equal(execute.Json.GetProperty("error").GetString(), schedule.Json.GetProperty("error").GetString());
            schedule.AssertError(schedule.Status, field is null ? "target" : "target." + field);
        }
    }

    private static Dictionary<string, object?> RemoveType(object target)
    {
        var fields = JsonSerializer.SerializeToElement(target).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        fields.Remove("type");
        return fields;
    }

    [Fact]
    public async Task RunNow_StartsTheTarget_ExecutionShowsTheScheduleAndHistoryFiltersByIt()
    {
        using var user = await _host.ClientAsync(Role.User);
        var id = (await CreateAsync(_admin, Body("0 3 * * *", SshTarget(LogCommand("now"))))).GetProperty("id").GetInt64();
        var other = await ExecutionApiClient.StartAsync(user, "ssh", RemoveType(SshTarget("true")));

        var fired = await _admin.PostJsonAsync($"{SchedulesPath}/{id}/run-now", new { });

        fired.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("started", fired.Data.GetProperty("status").GetString());
        Assert.Equal("run_now", fired.Data.GetProperty("trigger").GetString());
        var taskId = fired.Data.GetProperty("task_id").GetString()!;
        Assert.Matches($"^ssh-exec-\\d+-r{id}$", taskId);
        var status = await ExecutionApiClient.WaitForFinalAsync(user, "ssh", taskId);
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal("schedule", status.GetProperty("trigger").GetString());
        Assert.Equal(id, status.GetProperty("schedule_id").GetInt64());
        Assert.Equal(1, SshdFixture.CountLines(Node, $"{_token}-now.log"));

        var history = await user.GetApiAsync($"/api/v1/automation/ssh/history?schedule_id={id}");
        history.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(1, history.Data.GetProperty("total").GetInt32());
        Assert.Equal(taskId, history.Data.GetProperty("executions")[0].GetProperty("task_id").GetString());
        var all = await user.GetApiAsync("/api/v1/automation/ssh/history?page_size=100");
        Assert.Contains(all.Data.GetProperty("executions").EnumerateArray(), e => e.GetProperty("task_id").GetString() == other && !e.TryGetProperty("schedule_id", out _));
        (await user.GetApiAsync("/api/v1/automation/ssh/history?schedule_id=abc")).AssertError(HttpStatusCode.BadRequest, "schedule_id");

        var run = Assert.Single(await RunsAsync(user, id));
        Assert.Equal(taskId, run.GetProperty("task_id").GetString());
        var schedule = await user.GetApiAsync($"{SchedulesPath}/{id}");
        Assert.Equal("started", schedule.Data.GetProperty("last_run").GetProperty("status").GetString());
        var audit = await _host.GetRequiredService<AuditLog>().ListAsync("schedules", 50);
        Assert.Contains(audit, a => a.Action == "fire" && a.Details.Contains(taskId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunsLeftStartingByAStoppedInstance_AreSettledAfterTheTimeout()
    {
        var clock = ClockAtNow();
        var id = (await CreateAsync(_admin, Body("0 3 1 1 *", SshTarget(LogCommand("settle"))))).GetProperty("id").GetInt64();
        var started = (await _admin.PostJsonAsync($"{SchedulesPath}/{id}/run-now", new { })).Data.GetProperty("task_id").GetString()!;
        // Two claims whose claimers stopped before recording the outcome: one after starting its execution, one before.
        var store = _host.GetRequiredService<ScheduleStore>();
        // Due times are whole seconds, as the firer makes them (a run row's key is its due time).
        var claimedAt = new DateTimeOffset(clock.GetUtcNow().UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        ScheduleRun Claim(int minutesAgo, string taskId, string instance) => new()
        {
            ScheduleId = id, DueTime = claimedAt.AddMinutes(-minutesAgo), Trigger = ScheduleTrigger.RunNow, Status = ScheduleRunStatus.Starting,
            TaskId = taskId, RecordedAt = claimedAt, Instance = instance,
        };
        Assert.True(await store.TryClaimAsync(Claim(2, started, "stopped-after-start")));
        Assert.True(await store.TryClaimAsync(Claim(1, "ssh-exec-1-never-started", "stopped-before-start")));
        var evaluator = Evaluator(_host, clock);

        await evaluator.EvaluateAsync();
        Assert.Equal(2, (await RunsAsync(_admin, id)).Count(r => Status(r) == "starting"));

        clock.Advance(TimeSpan.FromMinutes(11));
        await evaluator.EvaluateAsync();
        await evaluator.EvaluateAsync();

        var runs = await RunsAsync(_admin, id);
        Assert.DoesNotContain(runs, r => Status(r) == "starting");
        var failed = Assert.Single(runs, r => r.GetProperty("due_time").GetDateTimeOffset() == claimedAt.AddMinutes(-1));
        Assert.Equal("failed_to_start", Status(failed));
        Assert.Contains("stopped-before-start", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var resumed = Assert.Single(runs, r => r.GetProperty("due_time").GetDateTimeOffset() == claimedAt.AddMinutes(-2));
        Assert.Equal("started", Status(resumed));
        Assert.Equal(started, resumed.GetProperty("task_id").GetString());
        var audit = await _host.GetRequiredService<AuditLog>().ListAsync("schedules", 50);
        Assert.Equal(2, audit.Count(a => a.Action == "settle" && a.Details.Contains($"schedule {id} ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DueTimeOutsideItsWindow_IsSkipped_InsideItRuns()
    {
        var clock = ClockAtNow();
        var dueDay = TimeZoneInfo.ConvertTime(clock.GetUtcNow().AddMinutes(1), TimeZoneInfo.Utc).DayOfWeek;
        var otherDays = Enumerable.Range(1, 5).Select(i => Day((DayOfWeek)(((int)dueDay + i) % 7))).ToArray();
        var closed = (await CreateAsync(_admin, Body("* * * * *", SshTarget(LogCommand("closed")), new { start = "00:00", end = "23:59", days = otherDays }))).GetProperty("id").GetInt64();
        var open = (await CreateAsync(_admin, Body("* * * * *", SshTarget(LogCommand("open")), new { start = "00:00", end = "23:59", days = new[] { Day(dueDay) } }))).GetProperty("id").GetInt64();

        AdvanceToNextMinute(clock);
        await Evaluator(_host, clock).EvaluateAsync();

        var skipped = Assert.Single(await RunsAsync(_admin, closed));
        Assert.Equal("skipped_window", Status(skipped));
        Assert.Contains("window", skipped.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, skipped.GetProperty("task_id").ValueKind);
        var started = Assert.Single(await RunsAsync(_admin, open));
        Assert.Equal("started", Status(started));
        await ExecutionApiClient.WaitForFinalAsync(_admin, "ssh", started.GetProperty("task_id").GetString()!);
        Assert.Equal(1, SshdFixture.CountLines(Node, $"{_token}-open.log"));
        Assert.Equal(0, SshdFixture.CountLines(Node, $"{_token}-closed.log"));
        await DisableAsync(closed, open);
    }

    private static string Day(DayOfWeek day) => day.ToString()[..3].ToLowerInvariant();

    [Fact]
    public async Task ConcurrencySkip_DoesNotStartWhileThePreviousRunIsRunning_AllowDoes()
    {
        var clock = ClockAtNow();
        var skip = (await CreateAsync(_admin, Body("* * * * *", SshTarget("sleep 120", nodes.Sshd.Nodes[21].Name)))).GetProperty("id").GetInt64();
        var allow = (await CreateAsync(_admin, Body("* * * * *", SshTarget("sleep 120", nodes.Sshd.Nodes[22].Name), concurrency: "allow"))).GetProperty("id").GetInt64();
        var evaluator = Evaluator(_host, clock);

        AdvanceToNextMinute(clock);
        await evaluator.EvaluateAsync();
        var first = Assert.Single(await RunsAsync(_admin, skip)).GetProperty("task_id").GetString()!;
        await ExecutionApiClient.WaitForAsync(_admin, "ssh", first, s => s.GetProperty("status").GetString() == "running", TimeSpan.FromSeconds(60), "running");
        AdvanceToNextMinute(clock);
        await evaluator.EvaluateAsync();

        var skipRuns = await RunsAsync(_admin, skip);
        Assert.Equal(["skipped_running", "started"], skipRuns.Select(Status));
        Assert.Contains(first, skipRuns[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        var allowRuns = await RunsAsync(_admin, allow);
        Assert.Equal(["started", "started"], allowRuns.Select(Status));

        foreach (var taskId in allowRuns.Select(r => r.GetProperty("task_id").GetString()!).Append(first))
        {
            (await _admin.PostJsonAsync($"/api/v1/automation/ssh/cancel/{taskId}", new { })).AssertStatus(HttpStatusCode.OK);
            await ExecutionApiClient.WaitForFinalAsync(_admin, "ssh", taskId);
        }

        await DisableAsync(skip, allow);
    }

    [Fact]
    public async Task AfterDowntime_MissedDueTimesAreRecorded_OnlyTheLatestRuns()
    {
        var clock = ClockAtNow();
        var id = (await CreateAsync(_admin, Body("* * * * *", SshTarget(LogCommand("late"))))).GetProperty("id").GetInt64();
        var evaluator = Evaluator(_host, clock);

        clock.Advance(TimeSpan.FromMinutes(10));
        await evaluator.EvaluateAsync();
        await evaluator.EvaluateAsync();

        var runs = await RunsAsync(_admin, id);
        Assert.Equal(10, runs.Count);
        Assert.Equal("started", Status(runs[0]));
        Assert.All(runs.Skip(1), r => Assert.Equal("missed", Status(r)));
        var latest = runs[0].GetProperty("due_time").GetDateTimeOffset();
        Assert.True(clock.GetUtcNow() - latest < TimeSpan.FromMinutes(1));
        await ExecutionApiClient.WaitForFinalAsync(_admin, "ssh", runs[0].GetProperty("task_id").GetString()!);
        Assert.Equal(1, SshdFixture.CountLines(Node, $"{_token}-late.log"));

        // Late beyond Schedules:MissedAfter, the latest runs only if its window is open now.
        var dueDay = Day(clock.GetUtcNow().AddMinutes(30).DayOfWeek);
        var windowed = (await CreateAsync(_admin, Body("* * * * *", SshTarget(LogCommand("windowed")),
            new { start = "00:00", end = "23:59", days = ScheduleWindowDaysExcept(dueDay) }))).GetProperty("id").GetInt64();
        clock.Advance(TimeSpan.FromMinutes(30));
        await evaluator.EvaluateAsync();
        var windowedRuns = await RunsAsync(_admin, windowed);
        Assert.Equal("skipped_window", Status(windowedRuns[0]));
        Assert.All(windowedRuns.Skip(1), r => Assert.Equal("missed", Status(r)));
        await DisableAsync(id, windowed);
    }

    private static string[] ScheduleWindowDaysExcept(string day) => new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" }.Where(d => d != day).ToArray();

    [Fact]
    public async Task DisabledOrDeletedSchedule_NeverFiresAgain()
    {
        var clock = ClockAtNow();
        var disabled = (await CreateAsync(_admin, Body("* * * * *", SshTarget(LogCommand("disabled"))))).GetProperty("id").GetInt64();
        var deleted = (await CreateAsync(_admin, Body("* * * * *", SshTarget(LogCommand("deleted"))))).GetProperty("id").GetInt64();
        var evaluator = Evaluator(_host, clock);
        AdvanceToNextMinute(clock);
        await evaluator.EvaluateAsync();
        Assert.Single(await RunsAsync(_admin, disabled));

        await DisableAsync(disabled);
        (await _admin.DeleteApiAsync($"{SchedulesPath}/{deleted}")).AssertStatus(HttpStatusCode.OK);
        AdvanceToNextMinute(clock);
        await evaluator.EvaluateAsync();
        clock.Advance(TimeSpan.FromMinutes(5));
        await evaluator.EvaluateAsync();

        Assert.Single(await RunsAsync(_admin, disabled));
        (await _admin.GetApiAsync($"{SchedulesPath}/{deleted}/runs")).AssertError(HttpStatusCode.NotFound);
        var history = await _admin.GetApiAsync($"/api/v1/automation/ssh/history?schedule_id={deleted}");
        Assert.Equal(1, history.Data.GetProperty("total").GetInt32());
    }

    /// <summary>Disables schedules a test created, so later evaluations in the class leave them alone.</summary>
    private async Task DisableAsync(params long[] ids)
    {
        foreach (var id in ids)
        {
            var current = (await _admin.GetApiAsync($"{SchedulesPath}/{id}")).Data;
            var body = new Dictionary<string, object?>
            {
                ["name"] = current.GetProperty("name").GetString(),
                ["cron"] = current.GetProperty("cron").GetString(),
                ["timezone"] = current.GetProperty("timezone").GetString(),
                ["enabled"] = false,
                ["target"] = current.GetProperty("target"),
            };
            (await _admin.PutJsonAsync($"{SchedulesPath}/{id}", body)).AssertStatus(HttpStatusCode.OK);
        }
    }
}
