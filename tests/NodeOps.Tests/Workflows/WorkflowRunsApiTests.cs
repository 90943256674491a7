using System.Globalization;
using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Workflows;

/// <summary>Workflow runs through the API on real sshd nodes: the DAG, conditions, retries, parameters and the rolling strategy.</summary>
[Collection(SshNodesCollection.Name)]
public sealed class WorkflowRunsApiTests(SshNodes nodes) : IAsyncLifetime
{
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];
    private WorkflowTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await WorkflowTestBed.StartAsync(nodes.Sshd);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Dag_IndependentBranches_RunSideBySideAndJoinAfterBoth()
    {
        // b and c both depend on a only: they must overlap in time; d waits for both.
        string Span(string step) => $"echo \"$(date +%s.%N) start\" >> \"$NODEOPS_NODE_DIR/{_token}-{step}\"; sleep 2; echo \"$(date +%s.%N) end\" >> \"$NODEOPS_NODE_DIR/{_token}-{step}\"";
        var id = await _bed.CreateWorkflowAsync(new
        {
            steps = new object[]
            {
                new { id = "a", name = "A", type = "ssh", command = $"echo a >> \"$NODEOPS_NODE_DIR/{_token}-a\"" },
                new { id = "b", name = "B", type = "ssh", command = Span("b"), depends_on = new[] { "a" } },
                new { id = "c", name = "C", type = "ssh", command = Span("c"), depends_on = new[] { "a" } },
                new { id = "d", name = "D", type = "ssh", command = $"echo \"$(date +%s.%N)\" > \"$NODEOPS_NODE_DIR/{_token}-d\"", depends_on = new[] { "b", "c" } },
            },
        });

        var started = (await _bed.User.PostJsonAsync(WorkflowTestBed.Path + "/execute", new
        {
            workflow_id = id, cluster_name = "test", target_nodes = new[] { "node1", "node2" }, credential_id = 1, parameters = new { },
        })).AssertStatus(HttpStatusCode.OK).Data;
        Assert.Equal("running", started.GetProperty("status").GetString());
        Assert.Equal("a", started.GetProperty("current_step").GetString());
        Assert.Equal(4, started.GetProperty("total_steps").GetInt32());
        Assert.StartsWith("workflow-exec-", started.GetProperty("task_id").GetString(), StringComparison.Ordinal);
        var status = await _bed.WaitFinalAsync(started.GetProperty("task_id").GetString()!);

        Assert.Equal("completed", status.GetProperty("status").GetString());
        foreach (var node in nodes.Sshd.Nodes.Take(2))
        {
            var (bStart, bEnd) = ReadSpan(node, "b");
            var (cStart, cEnd) = ReadSpan(node, "c");
            Assert.True(bStart < cEnd && cStart < bEnd, $"b [{bStart}, {bEnd}] and c [{cStart}, {cEnd}] did not overlap on {node.Name}");
            var d = double.Parse(File.ReadAllText(System.IO.Path.Combine(node.Folder, $"{_token}-d")), CultureInfo.InvariantCulture);
            Assert.True(d >= Math.Max(bEnd, cEnd), $"d ran at {d}, before b and c ended");
            Assert.Equal(1, SshdFixture.CountLines(node, $"{_token}-a"));
        }

        var step = WorkflowTestBed.Step(status, "b");
        Assert.Equal("completed", step.GetProperty("status").GetString());
        Assert.Equal("success", step.GetProperty("result").GetString());
        Assert.True(step.GetProperty("duration").GetDouble() >= 1.5, step.ToString());
        Assert.Equal(["node1", "node2"], step.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("node").GetString()!).ToArray());
        Assert.Null(status.GetProperty("current_step").GetString());
        Assert.Equal(2, status.GetProperty("success_count").GetInt32());
    }

    [Fact]
    public async Task Conditions_AndContinueOnError_DecideWhichNodesRunEachStep()
    {
        var id = await _bed.CreateWorkflowAsync(new
        {
            steps = new object[]
            {
                new { id = "check", name = "check", type = "ssh", command = "[ \"$NODEOPS_NODE\" != node4 ] || { echo broken >&2; exit 3; }" },
                new { id = "next", name = "on success", type = "ssh", command = $"echo next >> \"$NODEOPS_NODE_DIR/{_token}-next\"", depends_on = new[] { "check" } },
                new { id = "repair", name = "on failure", type = "ssh", command = $"echo repair >> \"$NODEOPS_NODE_DIR/{_token}-repair\"", depends_on = new[] { "check" }, condition = "on_failure" },
                new { id = "report", name = "always", type = "ssh", command = $"echo report >> \"$NODEOPS_NODE_DIR/{_token}-report\"", depends_on = new[] { "next" }, condition = "always" },
                new { id = "optional", name = "may fail", type = "ssh", command = "exit 1", continue_on_error = true },
                new { id = "after_optional", name = "after optional", type = "ssh", command = $"echo after >> \"$NODEOPS_NODE_DIR/{_token}-after\"", depends_on = new[] { "optional" } },
            },
        });

        var status = await _bed.WaitFinalAsync(await _bed.ExecuteAsync(id, ["node3", "node4"]));

        Assert.Equal("failed", status.GetProperty("status").GetString());
        var node3 = nodes.Sshd.Nodes[2];
        var node4 = nodes.Sshd.Nodes[3];
        Assert.Equal((1, 0, 1, 1), (SshdFixture.CountLines(node3, $"{_token}-next"), SshdFixture.CountLines(node3, $"{_token}-repair"), SshdFixture.CountLines(node3, $"{_token}-report"), SshdFixture.CountLines(node3, $"{_token}-after")));
        Assert.Equal((0, 1, 1, 1), (SshdFixture.CountLines(node4, $"{_token}-next"), SshdFixture.CountLines(node4, $"{_token}-repair"), SshdFixture.CountLines(node4, $"{_token}-report"), SshdFixture.CountLines(node4, $"{_token}-after")));
        var check = WorkflowTestBed.StepNodes(status, "check")["node4"];
        Assert.Equal("failed", check.GetProperty("status").GetString());
        Assert.Equal(3, check.GetProperty("exit_code").GetInt32());
        Assert.Contains("broken", check.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.Equal("failed", WorkflowTestBed.NodeStatus(status, "optional", "node3"));
        Assert.Null(WorkflowTestBed.NodeStatus(status, "next", "node4"));
        var results = status.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("node").GetString()!, r => r.GetProperty("status").GetString());
        Assert.Equal("success", results["node3"]);
        Assert.Equal("failed", results["node4"]);
    }

    [Fact]
    public async Task Retry_FlakyStep_RunsAgainAfterTheDelayUntilItSucceeds()
    {
        var counter = $"\"$NODEOPS_NODE_DIR/{_token}-tries\"";
        var id = await _bed.CreateWorkflowAsync(new
        {
            steps = new object[]
            {
                new
                {
                    id = "flaky", name = "flaky", type = "ssh",
                    command = $"n=$(cat {counter} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {counter}; echo try $n; [ $n -ge 3 ]",
                    retry = new { max_attempts = 4, delay = 1 },
                },
            },
        });

        var status = await _bed.WaitFinalAsync(await _bed.ExecuteAsync(id, ["node5"]));

        Assert.Equal("completed", status.GetProperty("status").GetString());
        var row = WorkflowTestBed.StepNodes(status, "flaky")["node5"];
        Assert.Equal(3, row.GetProperty("attempt").GetInt32());
        Assert.Equal("try 3\n", row.GetProperty("output").GetString());
        Assert.Equal("3", File.ReadAllText(System.IO.Path.Combine(nodes.Sshd.Nodes[4].Folder, $"{_token}-tries")).Trim());
    }

    [Fact]
    public async Task Parameters_ReachStepsAsEnvironmentVariables_NeverAsCommandText()
    {
        var marker = System.IO.Path.Combine(nodes.Sshd.Nodes[5].Folder, $"{_token}-pwned");
        var id = await _bed.CreateWorkflowAsync(new
        {
            steps = new object[] { new { id = "greet", name = "greet", type = "ssh", command = "printf '%s\\n' \"$GREETING\"" } },
        });

        var hostile = $"$(touch {marker}) `touch {marker}` ; touch {marker}";
        var status = await _bed.WaitFinalAsync(await _bed.ExecuteAsync(id, ["node6"], new Dictionary<string, string> { ["GREETING"] = hostile }));

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(hostile + "\n", WorkflowTestBed.StepNodes(status, "greet")["node6"].GetProperty("output").GetString());
        Assert.False(File.Exists(marker));
        (await _bed.User.PostJsonAsync(WorkflowTestBed.Path + "/execute", new
        {
            workflow_id = id, cluster_name = "test", target_nodes = new[] { "node6" }, credential_id = 1, parameters = new Dictionary<string, string> { ["BAD-NAME"] = "x" },
        })).AssertError(HttpStatusCode.BadRequest, "parameters");
    }

    [Fact]
    public async Task Rolling_BatchesNeverHaveMoreThanBatchSizeNodesOutOfService()
    {
        var span = $"\"$NODEOPS_NODE_DIR/{_token}-span\"";
        var id = await _bed.CreateWorkflowAsync(new
        {
            strategy = "rolling",
            batch_size = 2,
            steps = new object[]
            {
                new { id = "out", name = "take out", type = "ssh", command = $"echo \"$(date +%s.%N)\" > {span}" },
                new { id = "work", name = "work", type = "ssh", command = "sleep 1", depends_on = new[] { "out" } },
                new { id = "back", name = "put back", type = "ssh", command = $"echo \"$(date +%s.%N)\" >> {span}", depends_on = new[] { "work" } },
            },
        });
        var targets = nodes.Sshd.Nodes.Skip(6).Take(5).ToList();

        var status = await _bed.WaitFinalAsync(await _bed.ExecuteAsync(id, targets.Select(n => n.Name)));

        Assert.Equal("completed", status.GetProperty("status").GetString());
        var spans = targets.Select(n => File.ReadAllLines(System.IO.Path.Combine(n.Folder, $"{_token}-span")).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray()).ToList();
        var most = spans.Max(s => spans.Count(o => o[0] < s[1] && s[0] < o[1]));
        Assert.True(most <= 2, $"{most} nodes were out of service at once");
        Assert.Equal(2, most); // a batch's two nodes do go through together
    }

    [Fact]
    public async Task Rolling_FailureBeyondMaxFailPercentage_StartsNoNewBatch()
    {
        var id = await _bed.CreateWorkflowAsync(new
        {
            strategy = "rolling",
            batch_size = 1,
            steps = new object[] { new { id = "s", name = "s", type = "ssh", command = $"echo ran >> \"$NODEOPS_NODE_DIR/{_token}-ran\"; [ \"$NODEOPS_NODE\" != node12 ]" } },
        });

        var status = await _bed.WaitFinalAsync(await _bed.ExecuteAsync(id, ["node12", "node13", "node14"]));

        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Contains("max_fail_percentage", status.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, SshdFixture.CountLines(nodes.Sshd.Nodes[11], $"{_token}-ran"));
        Assert.Equal(0, SshdFixture.CountLines(nodes.Sshd.Nodes[12], $"{_token}-ran"));
        var results = status.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("node").GetString()!, r => r.GetProperty("status").GetString());
        Assert.Equal(("failed", "skipped", "skipped"), (results["node12"], results["node13"], results["node14"]));
    }

    [Fact]
    public async Task History_ListsRunsWithFiltersAndTotal_AndViewerCannotExecute()
    {
        var id = await _bed.CreateWorkflowAsync(new { steps = new object[] { new { id = "s", name = "s", type = "ssh", command = "true" } } });
        var taskId = await _bed.ExecuteAsync(id, ["node15"]);
        await _bed.WaitFinalAsync(taskId);

        var history = (await _bed.User.GetApiAsync(WorkflowTestBed.Path + "/history?status=completed&page=1&page_size=50")).AssertStatus(HttpStatusCode.OK).Data;
        Assert.True(history.GetProperty("total").GetInt32() >= 1);
        var row = history.GetProperty("executions").EnumerateArray().Single(e => e.GetProperty("task_id").GetString() == taskId);
        Assert.Equal(id, row.GetProperty("workflow_id").GetInt64());
        Assert.Equal("completed", row.GetProperty("status").GetString());
        (await _bed.User.GetApiAsync(WorkflowTestBed.Path + "/history?status=nope")).AssertError(HttpStatusCode.BadRequest, "status");
        using var viewer = await _bed.Host.ClientAsync(Role.Viewer);
        (await viewer.PostJsonAsync(WorkflowTestBed.Path + "/execute", new { workflow_id = id, cluster_name = "test", target_nodes = new[] { "node15" }, credential_id = 1 }))
            .AssertError(HttpStatusCode.Forbidden);
        (await viewer.GetApiAsync(WorkflowTestBed.Path + "/status/" + taskId)).AssertStatus(HttpStatusCode.OK);
        (await _bed.Host.Anonymous.GetApiAsync(WorkflowTestBed.Path + "/status/" + taskId)).AssertError(HttpStatusCode.Unauthorized);
        (await _bed.User.GetApiAsync(WorkflowTestBed.Path + "/status/workflow-exec-1-zzzzzz")).AssertError(HttpStatusCode.NotFound);
    }

    private (double Start, double End) ReadSpan(SshdNode node, string step)
    {
        var lines = File.ReadAllLines(System.IO.Path.Combine(node.Folder, $"{_token}-{step}"));
        return (double.Parse(lines[0].Split(' ')[0], CultureInfo.InvariantCulture), double.Parse(lines[1].Split(' ')[0], CultureInfo.InvariantCulture));
    }
}
