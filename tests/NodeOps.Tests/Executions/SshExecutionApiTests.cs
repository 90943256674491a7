using System.Diagnostics;
using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

[Collection(SshNodesCollection.Name)]
public sealed class SshExecutionApiTests(SshNodes nodes) : IAsyncLifetime
{
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];
    private TestHost _host = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        var catalog = FixtureCatalog.For(nodes.Sshd);
        _host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Executions:LaneSize"] = "8" }, configureServices: catalog.Register);
        _user = await _host.ClientAsync(Role.User);
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Execute_OnAllNodes_RunsEachNodeOnceAndCompletes()
    {
        var names = nodes.Sshd.Nodes.Select(n => n.Name).ToArray();
        var taskId = await ExecutionApiClient.StartAsync(_user, "ssh", new
        {
            cluster_name = "test",
            target_nodes = names,
            credential_id = 1,
            command = $"echo ran >> \"$NODEOPS_NODE_DIR/{_token}.log\"; echo \"hello from $NODEOPS_NODE\"",
            timeout = 30,
        });

        var status = await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", taskId);

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(names.Length, status.GetProperty("success_count").GetInt32());
        Assert.Equal(0, status.GetProperty("failed_count").GetInt32());
        var results = ExecutionApiClient.ResultsByNode(status);
        foreach (var node in nodes.Sshd.Nodes)
        {
            Assert.Equal("success", results[node.Name].GetProperty("status").GetString());
            Assert.Equal(0, results[node.Name].GetProperty("exit_code").GetInt32());
            Assert.Equal($"hello from {node.Name}\n", results[node.Name].GetProperty("stdout").GetString());
            Assert.True(results[node.Name].GetProperty("stderr").GetString() == "", results[node.Name].ToString());
            Assert.Equal(1, SshdFixture.CountLines(node, _token + ".log"));
        }
    }

    [Fact]
    public async Task Execute_OneNodeFails_ReportsItsExitCodeAndStderrAndExecutionFails()
    {
        var taskId = await ExecutionApiClient.StartAsync(_user, "ssh", new
        {
            cluster_name = "test",
            target_nodes = new[] { "node1", "node2", "node3" },
            credential_id = 1,
            command = "if [ \"$NODEOPS_NODE\" = node2 ]; then echo broken >&2; exit 3; fi; echo fine",
        });

        var status = await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", taskId);

        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal(2, status.GetProperty("success_count").GetInt32());
        Assert.Equal(1, status.GetProperty("failed_count").GetInt32());
        var failed = ExecutionApiClient.ResultsByNode(status)["node2"];
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(3, failed.GetProperty("exit_code").GetInt32());
        Assert.Equal("broken\n", failed.GetProperty("stderr").GetString());
        Assert.Equal("", failed.GetProperty("stdout").GetString());
        Assert.Equal(["node1", "node2", "node3"], status.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("node").GetString()!).ToArray());
    }

    [Fact]
    public async Task Execute_CommandOutlivesTimeout_NodeTimesOutAndRemoteProcessIsGone()
    {
        var marker = "nodeops-timeout-" + _token;
        var taskId = await ExecutionApiClient.StartAsync(_user, "ssh", new
        {
            cluster_name = "test",
            target_nodes = new[] { "node4" },
            credential_id = 1,
            command = $"echo started; sleep 120; echo {marker}",
            timeout = 2,
        });

        var status = await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", taskId, TimeSpan.FromSeconds(30));

        var result = ExecutionApiClient.ResultsByNode(status)["node4"];
        Assert.Equal("timeout", result.GetProperty("status").GetString());
        Assert.Equal("started\n", result.GetProperty("stdout").GetString());
        // Far below the command's 120 s: the 2 s timeout stopped it (a generous bound, so a busy machine does not fail it).
        Assert.True(result.GetProperty("duration").GetDouble() < 60, result.ToString());
        Assert.Equal("failed", status.GetProperty("status").GetString());
        await AssertNoProcessAsync(marker);
    }

    [Fact]
    public async Task Cancel_WhileRunning_StopsRemoteProcessSkipsQueuedNodesAndEndsCancelled()
    {
        var marker = "nodeops-cancel-" + _token;
        var taskId = await ExecutionApiClient.StartAsync(_user, "ssh", new
        {
            cluster_name = "test",
            target_nodes = new[] { "node5", "node6", "node7" },
            credential_id = 1,
            command = $"sleep 600; echo {marker}",
            max_concurrent = 1,
        });
        await ExecutionApiClient.WaitForAsync(_user, "ssh", taskId,
            s => s.GetProperty("counts").GetProperty("running").GetInt32() == 1 && SshdFixture.ProcessesWithCommandLine(marker).Count > 0,
            TimeSpan.FromSeconds(20), "a running node");
        var clock = Stopwatch.StartNew();

        (await _user.PostJsonAsync($"/api/v1/automation/ssh/cancel/{taskId}", new { })).AssertStatus(HttpStatusCode.OK);
        var status = await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", taskId, TimeSpan.FromSeconds(30));

        Assert.Equal("cancelled", status.GetProperty("status").GetString());
        var statuses = status.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()).ToList();
        Assert.Equal(1, statuses.Count(s => s == "cancelled"));
        Assert.Equal(2, statuses.Count(s => s == "skipped"));
        await AssertNoProcessAsync(marker);
        // The remote command would sleep 600 s; far less proves it was killed, without timing a busy machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"cancel took {clock.Elapsed}");
        (await _user.PostJsonAsync($"/api/v1/automation/ssh/cancel/{taskId}", new { })).AssertError(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Execute_OutputBeyondLimit_KeepsTailAndFlagsTruncated()
    {
        using var admin = await _host.ClientAsync(Role.Admin);
        (await admin.PutJsonAsync("/api/v1/features/automation/ssh", SshSettings(outputLimit: 1024))).AssertStatus(HttpStatusCode.OK);
        var taskId = await ExecutionApiClient.StartAsync(_user, "ssh", new
        {
            cluster_name = "test",
            target_nodes = new[] { "node8" },
            credential_id = 1,
            command = "head -c 5000 /dev/zero | tr '\\0' x; echo; echo THE-END; printf 'bad \\377\\376 bytes' >&2",
        });

        var result = ExecutionApiClient.ResultsByNode(await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", taskId))["node8"];

        Assert.Equal("success", result.GetProperty("status").GetString());
        Assert.True(result.GetProperty("truncated").GetBoolean());
        var stdout = result.GetProperty("stdout").GetString()!;
        Assert.Equal(1024, stdout.Length);
        Assert.EndsWith("xxx\nTHE-END\n", stdout, StringComparison.Ordinal);
        Assert.Equal("bad \uFFFD\uFFFD bytes", result.GetProperty("stderr").GetString());
    }

    [Fact]
    public async Task Execute_WithPasswordCredential_Runs()
    {
        var (user, password) = (nodes.Sshd.User, nodes.Sshd.Password);

        var taskId = await ExecutionApiClient.StartAsync(_user, "ssh", new
        {
            cluster_name = "test",
            target_nodes = new[] { "node9", "node10" },
            credential_id = FixtureCatalog.PasswordCredentialId,
            command = "id -un",
        });
        var status = await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", taskId);

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.All(status.GetProperty("results").EnumerateArray(), r => Assert.Equal(user + "\n", r.GetProperty("stdout").GetString()));
        Assert.DoesNotContain(password, status.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_BadRequests_AnswerWithTheFieldAtFault()
    {
        var valid = new Dictionary<string, object> { ["cluster_name"] = "test", ["target_nodes"] = new[] { "node1" }, ["credential_id"] = 1, ["command"] = "true" };
        Dictionary<string, object> With(string key, object? value)
        {
            var copy = new Dictionary<string, object>(valid);
            if (value is null)
            {
                copy.Remove(key);
            }
            else
            {
                copy[key] = value;
            }

            return copy;
        }

        (await _user.PostJsonAsync("/api/v1/automation/ssh/execute", With("command", null))).AssertError(HttpStatusCode.BadRequest, "command");
        (await _user.PostJsonAsync("/api/v1/automation/ssh/execute", With("command", " "))).AssertError(HttpStatusCode.BadRequest, "command");
        (await _user.PostJsonAsync("/api/v1/automation/ssh/execute", With("target_nodes", Array.Empty<string>()))).AssertError(HttpStatusCode.BadRequest, "target_nodes");
        (await _user.PostJsonAsync("/api/v1/automation/ssh/execute", With("target_nodes", new[] { "node1", "node1" }))).AssertError(HttpStatusCode.BadRequest, "target_nodes");
        (await _user.PostJsonAsync("/api/v1/automation/ssh/execute", With("timeout", 0))).AssertError(HttpStatusCode.BadRequest, "timeout");
        (await _user.PostJsonAsync("/api/v1/automation/ssh/execute", With("max_concurrent", 51))).AssertError(HttpStatusCode.BadRequest, "max_concurrent");
        (await _user.PostJsonAsync("/api/v1/automation/ssh/execute", With("surprise", true))).AssertError(HttpStatusCode.BadRequest, "surprise");
        (await _user.PostJsonAsync("/api/v1/automation/ssh/execute", With("target_nodes", new[] { "node1", "ghost" }))).AssertError(HttpStatusCode.UnprocessableEntity, "target_nodes");
        (await _user.PostJsonAsync("/api/v1/automation/ssh/execute", With("cluster_name", "nowhere"))).AssertError(HttpStatusCode.NotFound);
        (await _user.PostJsonAsync("/api/v1/automation/ssh/execute", With("credential_id", 99))).AssertError(HttpStatusCode.NotFound);
        (await _user.GetApiAsync("/api/v1/automation/ssh/status/ssh-exec-1-nothere")).AssertError(HttpStatusCode.NotFound);
        (await _user.GetApiAsync("/api/v1/automation/ssh/status/bad$id")).AssertError(HttpStatusCode.BadRequest, "task_id");
        (await _user.GetApiAsync("/api/v1/automation/ssh/history?status=done")).AssertError(HttpStatusCode.BadRequest, "status");
        (await _user.GetApiAsync("/api/v1/automation/ssh/history?start_date=yesterday")).AssertError(HttpStatusCode.BadRequest, "start_date");
    }

    [Fact]
    public async Task Execute_AsViewerOrWithSshSwitchedOff_Returns403()
    {
        using var viewer = await _host.ClientAsync(Role.Viewer);
        var body = new { cluster_name = "test", target_nodes = new[] { "node1" }, credential_id = 1, command = "true" };
        (await viewer.PostJsonAsync("/api/v1/automation/ssh/execute", body)).AssertError(HttpStatusCode.Forbidden);

        using var admin = await _host.ClientAsync(Role.Admin);
        (await admin.PutJsonAsync("/api/v1/features/automation/ssh", SshSettings(enabled: false))).AssertStatus(HttpStatusCode.OK);
        var off = await _user.PostJsonAsync("/api/v1/automation/ssh/execute", body);
        off.AssertError(HttpStatusCode.Forbidden);
        Assert.Equal("功能未启用", off.Json.GetProperty("message").GetString());
        (await viewer.GetApiAsync("/api/v1/automation/ssh/history")).AssertError(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task History_FiltersByClusterAndStatus_AndRecordsWhoRan()
    {
        var ok = await ExecutionApiClient.StartAsync(_user, "ssh", new { cluster_name = "test", target_nodes = new[] { "node11" }, credential_id = 1, command = "true" });
        var bad = await ExecutionApiClient.StartAsync(_user, "ssh", new { cluster_name = "test", target_nodes = new[] { "node12" }, credential_id = 1, command = "false" });
        await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", ok);
        await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", bad);
        using var viewer = await _host.ClientAsync(Role.Viewer);

        var all = await viewer.GetApiAsync("/api/v1/automation/ssh/history?cluster_name=test&page=1&page_size=1");
        var failed = await viewer.GetApiAsync("/api/v1/automation/ssh/history?status=failed");
        var elsewhere = await viewer.GetApiAsync("/api/v1/automation/ssh/history?cluster_name=other");
        var today = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var byDate = await viewer.GetApiAsync($"/api/v1/automation/ssh/history?start_date={today}&end_date={today}");

        all.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, all.Data.GetProperty("total").GetInt32());
        var newest = Assert.Single(all.Data.GetProperty("executions").EnumerateArray());
        Assert.Equal(bad, newest.GetProperty("task_id").GetString());
        Assert.Equal("test-user", newest.GetProperty("username").GetString());
        Assert.Equal("false", newest.GetProperty("command").GetString());
        Assert.Equal([bad], failed.Data.GetProperty("executions").EnumerateArray().Select(e => e.GetProperty("task_id").GetString()!).ToArray());
        Assert.Equal(0, elsewhere.Data.GetProperty("total").GetInt32());
        Assert.Equal(2, byDate.Data.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("rm -rf /")]
    [InlineData("sudo rm -fr --no-preserve-root /")]
    [InlineData("echo x && mkfs.ext4 /dev/sdb1")]
    [InlineData("bash -c 'dd if=/dev/zero of=/dev/sda'")]
    [InlineData("shutdown -h now")]
    public async Task Execute_DangerousCommand_Returns422WithTheSpecsBodyAndRunsNothing(string command)
    {
        var response = await _user.PostJsonAsync("/api/v1/automation/ssh/execute", new { cluster_name = "test", target_nodes = new[] { "node1" }, credential_id = 1, command });

        response.AssertError(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(422, response.Json.GetProperty("code").GetInt32());
        Assert.Equal("命令验证失败", response.Json.GetProperty("message").GetString());
        Assert.StartsWith("危险命令已拦截: ", response.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await _user.GetApiAsync("/api/v1/automation/ssh/history")).Data.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("curl -fsSL http://127.0.0.1:9/install.sh | sh", "fetched-to-interpreter")]
    [InlineData("wget -O- http://127.0.0.1:9/s.sh | bash", "fetched-to-interpreter")]
    [InlineData("echo cm0gLXJmIC8= | base64 -d | sh", "decoded-to-interpreter")]
    [InlineData("echo 726d202d7266202f | xxd -r -p | bash", "decoded-to-interpreter")]
    [InlineData("eval \"$(curl -s http://127.0.0.1:9/x)\"", "generated-code")]
    [InlineData("sh -c \"$(cat /tmp/cmd)\"", "generated-code")]
    [InlineData("ls /data | xargs rm -rf", "destructive-runtime-arguments")]
    public async Task Execute_HiddenOrRunTimeCode_Returns422NamingTheRule(string command, string rule)
    {
        var response = await _user.PostJsonAsync("/api/v1/automation/ssh/execute", new { cluster_name = "test", target_nodes = new[] { "node1" }, credential_id = 1, command });

        response.AssertError(HttpStatusCode.UnprocessableEntity);
        Assert.Contains($"[{rule}]", response.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await _user.GetApiAsync("/api/v1/automation/ssh/history")).Data.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Execute_PowerActionExplicitlyAllowed_PassesTheGuard()
    {
        var body = new { cluster_name = "test", target_nodes = new[] { "node23" }, credential_id = 1, command = "echo shutdown -r +5 would run here || shutdown -r +5", allow_power_actions = true };

        var taskId = await ExecutionApiClient.StartAsync(_user, "ssh", body);

        var status = await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", taskId);
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.True(status.GetProperty("allow_power_actions").GetBoolean());
    }

    [Theory]
    [InlineData("rm -rf /tmp/x")]
    [InlineData("df -h")]
    [InlineData("journalctl -u kubelet --no-pager -n 1 || true")]
    public async Task Execute_OrdinaryOperationsWork_IsAccepted(string command)
    {
        var response = await _user.PostJsonAsync("/api/v1/automation/ssh/execute", new { cluster_name = "test", target_nodes = new[] { "node24" }, credential_id = 1, command });

        response.AssertStatus(HttpStatusCode.OK);
        await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", response.Data.GetProperty("task_id").GetString()!);
    }

    /// <summary>The features API wants every SSH setting in one body; these are the defaults with one change.</summary>
    internal static object SshSettings(bool enabled = true, int outputLimit = 1024 * 1024, int poolSize = 20) => new
    {
        enabled,
        timeout = 300,
        max_concurrent = 50,
        connection_pool_size = poolSize,
        idle_timeout = 60,
        output_limit_bytes = outputLimit,
    };

    internal static async Task AssertNoProcessAsync(string marker)
    {
        var clock = Stopwatch.StartNew();
        while (SshdFixture.ProcessesWithCommandLine(marker).Count > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"a process with '{marker}' is still running");
            await Task.Delay(100);
        }
    }
}
