using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Workflows;

/// <summary>Approvals, waits, resume from the failed step and retry of the failed nodes, through the API on real sshd nodes.</summary>
[Collection(SshNodesCollection.Name)]
public sealed class WorkflowGatesAndRecoveryTests(SshNodes nodes) : IAsyncLifetime
{
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];
    private WorkflowTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await WorkflowTestBed.StartAsync(nodes.Sshd);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Approval_WaitsForAUser_ThenContinuesOrStops(bool approve)
    {
        var id = await _bed.CreateWorkflowAsync(new
        {
            steps = new object[]
            {
                new { id = "before", name = "before", type = "ssh", command = $"echo before >> \"$NODEOPS_NODE_DIR/{_token}-before\"" },
                new { id = "gate", name = "approve maintenance", type = "approval", depends_on = new[] { "before" } },
                new { id = "after", name = "after", type = "ssh", command = $"echo after >> \"$NODEOPS_NODE_DIR/{_token}-after\"", depends_on = new[] { "gate" } },
            },
        });
        var taskId = await _bed.ExecuteAsync(id, ["node1", "node2"]);

        var waiting = await _bed.WaitForAsync(taskId, s => s.GetProperty("status").GetString() == "waiting_approval", TimeSpan.FromSeconds(30), "waiting_approval");
        Assert.Equal("gate", waiting.GetProperty("current_step").GetString());
        Assert.Equal("waiting_approval", WorkflowTestBed.Step(waiting, "gate").GetProperty("status").GetString());
        using var viewer = await _bed.Host.ClientAsync(Role.Viewer);
        (await viewer.PostJsonAsync($"{WorkflowTestBed.Path}/approve/{taskId}", new { })).AssertError(HttpStatusCode.Forbidden);
        (await _bed.User.PostJsonAsync($"{WorkflowTestBed.Path}/approve/{taskId}", new { step_id = "before" })).AssertError(HttpStatusCode.Conflict, "step_id");
        Assert.Equal(0, SshdFixture.CountLines(nodes.Sshd.Nodes[0], $"{_token}-after"));

        (await _bed.User.PostJsonAsync($"{WorkflowTestBed.Path}/{(approve ? "approve" : "reject")}/{taskId}", new { comment = "looked fine" })).AssertStatus(HttpStatusCode.OK);
        var status = await _bed.WaitFinalAsync(taskId);

        var gate = WorkflowTestBed.Step(status, "gate");
        Assert.Equal(approve ? "completed" : "failed", gate.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(gate.GetProperty("decided_by").GetString()));
        Assert.Equal(approve ? "completed" : "failed", status.GetProperty("status").GetString());
        Assert.Equal(approve ? 1 : 0, SshdFixture.CountLines(nodes.Sshd.Nodes[0], $"{_token}-after"));
        Assert.Equal(approve ? 1 : 0, SshdFixture.CountLines(nodes.Sshd.Nodes[1], $"{_token}-after"));
        if (!approve)
        {
            Assert.Contains("looked fine", gate.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Cancel_DuringAWait_EndsTheRunCancelledAndRunsNothingAfter()
    {
        var id = await _bed.CreateWorkflowAsync(new
        {
            steps = new object[]
            {
                new { id = "pause", name = "pause", type = "wait", seconds = 600 },
                new { id = "after", name = "after", type = "ssh", command = $"echo after >> \"$NODEOPS_NODE_DIR/{_token}-after\"", depends_on = new[] { "pause" } },
            },
        });
        var taskId = await _bed.ExecuteAsync(id, ["node3"]);
        await _bed.WaitForAsync(taskId, s => WorkflowTestBed.Step(s, "pause").GetProperty("status").GetString() == "running", TimeSpan.FromSeconds(30), "the wait");

        (await _bed.User.PostJsonAsync($"{WorkflowTestBed.Path}/cancel/{taskId}", new { })).AssertStatus(HttpStatusCode.OK);
        var status = await _bed.WaitFinalAsync(taskId);

        Assert.Equal("cancelled", status.GetProperty("status").GetString());
        Assert.Equal("cancelled", WorkflowTestBed.Step(status, "pause").GetProperty("status").GetString());
        Assert.Equal(0, SshdFixture.CountLines(nodes.Sshd.Nodes[2], $"{_token}-after"));
    }

    [Fact]
    public async Task Resume_ContinuesFromTheFailedStep_WithoutRunningCompletedStepsOrNodesAgain()
    {
        var flag = $"\"$NODEOPS_NODE_DIR/{_token}-fixed\"";
        var id = await _bed.CreateWorkflowAsync(new
        {
            steps = new object[]
            {
                new { id = "prepare", name = "prepare", type = "ssh", command = $"echo prepare >> \"$NODEOPS_NODE_DIR/{_token}-prepare\"" },
                new { id = "upgrade", name = "upgrade", type = "ssh", command = $"echo upgrade >> \"$NODEOPS_NODE_DIR/{_token}-upgrade\"; [ \"$NODEOPS_NODE\" != node5 ] || [ -e {flag} ]", depends_on = new[] { "prepare" } },
                new { id = "finish", name = "finish", type = "ssh", command = $"echo finish >> \"$NODEOPS_NODE_DIR/{_token}-finish\"", depends_on = new[] { "upgrade" } },
            },
        });
        var taskId = await _bed.ExecuteAsync(id, ["node4", "node5"]);
        var failed = await _bed.WaitFinalAsync(taskId);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("failed", WorkflowTestBed.NodeStatus(failed, "upgrade", "node5"));
        var (node4, node5) = (nodes.Sshd.Nodes[3], nodes.Sshd.Nodes[4]);
        File.WriteAllText(Path.Combine(node5.Folder, $"{_token}-fixed"), "");

        var resumed = (await _bed.User.PostJsonAsync($"{WorkflowTestBed.Path}/resume/{taskId}", new { })).AssertStatus(HttpStatusCode.OK).Data;
        Assert.Equal(taskId, resumed.GetProperty("task_id").GetString());
        var status = await _bed.WaitFinalAsync(taskId);

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal((1, 1, 1), (SshdFixture.CountLines(node4, $"{_token}-prepare"), SshdFixture.CountLines(node4, $"{_token}-upgrade"), SshdFixture.CountLines(node4, $"{_token}-finish")));
        Assert.Equal((1, 2, 1), (SshdFixture.CountLines(node5, $"{_token}-prepare"), SshdFixture.CountLines(node5, $"{_token}-upgrade"), SshdFixture.CountLines(node5, $"{_token}-finish")));
        Assert.Equal(2, status.GetProperty("success_count").GetInt32());
        (await _bed.User.PostJsonAsync($"{WorkflowTestBed.Path}/resume/{taskId}", new { })).AssertError(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Retry_RunsTheWorkflowAgainOnTheFailedNodesOnly()
    {
        var flag = $"\"$NODEOPS_NODE_DIR/{_token}-fixed\"";
        var id = await _bed.CreateWorkflowAsync(new
        {
            steps = new object[]
            {
                new { id = "first", name = "first", type = "ssh", command = $"echo first >> \"$NODEOPS_NODE_DIR/{_token}-first\"" },
                new { id = "second", name = "second", type = "ssh", command = $"[ \"$NODEOPS_NODE\" != node7 ] || [ -e {flag} ]", depends_on = new[] { "first" } },
            },
        });
        var taskId = await _bed.ExecuteAsync(id, ["node6", "node7", "node8"]);
        Assert.Equal("failed", (await _bed.WaitFinalAsync(taskId)).GetProperty("status").GetString());
        File.WriteAllText(Path.Combine(nodes.Sshd.Nodes[6].Folder, $"{_token}-fixed"), "");

        var retry = (await _bed.User.PostJsonAsync($"{WorkflowTestBed.Path}/retry/{taskId}", new { })).AssertStatus(HttpStatusCode.OK).Data;
        var retryId = retry.GetProperty("task_id").GetString()!;
        var status = await _bed.WaitFinalAsync(retryId);

        Assert.NotEqual(taskId, retryId);
        Assert.Equal(["node7"], status.GetProperty("target_nodes").EnumerateArray().Select(n => n.GetString()!).ToArray());
        Assert.Equal(taskId, status.GetProperty("retry_of").GetString());
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal((1, 2, 1), (SshdFixture.CountLines(nodes.Sshd.Nodes[5], $"{_token}-first"), SshdFixture.CountLines(nodes.Sshd.Nodes[6], $"{_token}-first"), SshdFixture.CountLines(nodes.Sshd.Nodes[7], $"{_token}-first")));
        (await _bed.User.PostJsonAsync($"{WorkflowTestBed.Path}/retry/{retryId}", new { })).AssertError(HttpStatusCode.Conflict);
    }
}
