using System.Net;
using System.Text.Json;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;
using NodeOps.Tests.Workflows;
using static NodeOps.Tests.Schedules.ScheduleTestKit;

namespace NodeOps.Tests.Schedules;

/// <summary>
/// A schedule whose target is a workflow run: refused where POST /workflows/execute refuses, and fired as a workflow run
/// that shows the schedule that started it, on real sshd nodes (and the fake Kubernetes API server for k8s steps).
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class ScheduleWorkflowTargetTests(SshNodes nodes) : IAsyncLifetime
{
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];
    private WorkflowTestBed _bed = null!;
    private HttpClient _admin = null!;

    private SshdNode Node => nodes.Sshd.Nodes[21];

    public async Task InitializeAsync()
    {
        _bed = await WorkflowTestBed.StartAsync(nodes.Sshd, ManualSettings);
        _admin = await _bed.Host.ClientAsync(Role.Admin);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _bed.DisposeAsync();
    }

    private static object Body(object target) =>
        new { name = "wf-" + Guid.NewGuid().ToString("N")[..6], cron = "0 4 * * *", timezone = "UTC", enabled = true, target };

    private object Target(long workflowId, string cluster = "test", string? node = null) => new
    {
        type = "workflow",
        workflow_id = workflowId,
        cluster_name = cluster,
        target_nodes = new[] { node ?? Node.Name },
        credential_id = FixtureCatalog.KeyCredentialId,
        parameters = new Dictionary<string, string> { ["GREETING"] = "hi; echo injected" },
    };

    private static Dictionary<string, object?> WithoutType(object target)
    {
        var fields = JsonSerializer.SerializeToElement(target).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        fields.Remove("type");
        return fields;
    }

    [Fact]
    public async Task WorkflowTarget_IsCheckedAsTheExecuteRouteChecksIt()
    {
        var k8s = await _bed.CreateWorkflowAsync(new { steps = new object[] { new { id = "cordon", name = "cordon", type = "k8s", action = "cordon" } } });

        foreach (var target in new[] { Target(k8s, cluster: "nokube"), Target(k8s, node: "ghost-node") })
        {
            var execute = await _bed.User.PostJsonAsync(WorkflowTestBed.Path + "/execute", WithoutType(target));
            var schedule = await _admin.PostJsonAsync(SchedulesPath, Body(target));

            Assert.True(execute.Status is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, execute.Body);
            Assert.Equal(execute.Status, schedule.Status);
            Assert.Equal(execute.Json.GetProperty("error").GetString(), schedule.Json.GetProperty("error").GetString());
            if (execute.Json.TryGetProperty("field", out var field) && field.GetString() is { } name)
            {
                schedule.AssertError(schedule.Status, "target." + name);
            }
        }

        // A workflow that does not exist is the route's 404, but for a schedule it is its target at fault: 422.
        var missing = await _admin.PostJsonAsync(SchedulesPath, Body(Target(999_999)));
        missing.AssertError(HttpStatusCode.UnprocessableEntity, "target");
        Assert.Contains("999999", missing.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunNow_StartsAWorkflowRun_ThatShowsItsSchedule_AndParametersArriveLiterally()
    {
        var workflow = await _bed.CreateWorkflowAsync(new
        {
            steps = new object[]
            {
                new { id = "greet", name = "greet", type = "ssh", command = $"printf '%s\\n' \"$GREETING\" >> \"$NODEOPS_NODE_DIR/{_token}-greet.log\"" },
            },
        });
        var id = (await CreateAsync(_admin, Body(Target(workflow)))).GetProperty("id").GetInt64();

        var fired = await _admin.PostJsonAsync($"{SchedulesPath}/{id}/run-now", new { });

        fired.AssertStatus(HttpStatusCode.OK);
        var taskId = fired.Data.GetProperty("task_id").GetString()!;
        Assert.Matches($"^workflow-exec-\\d+-r{id}$", taskId);
        var status = await _bed.WaitFinalAsync(taskId);
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal("schedule", status.GetProperty("trigger").GetString());
        Assert.Equal(id, status.GetProperty("schedule_id").GetInt64());
        Assert.Equal(1, SshdFixture.CountLines(Node, $"{_token}-greet.log"));
        var history = (await _bed.User.GetApiAsync($"{WorkflowTestBed.Path}/history?schedule_id={id}")).AssertStatus(HttpStatusCode.OK).Data;
        Assert.Equal(1, history.GetProperty("total").GetInt32());
    }
}
