using System.Diagnostics;
using System.Net;
using System.Text.Json;
using NodeOps.Auth;
using NodeOps.Clusters;
using NodeOps.Tests.Executions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

/// <summary>Playbook runs through the API with the real ansible-playbook against the real sshd nodes.</summary>
[Collection(SshNodesCollection.Name)]
public sealed class AnsibleRunsApiTests(SshNodes nodes) : IAsyncLifetime
{
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];
    private readonly string _runs = Directory.CreateTempSubdirectory("nodeops-ansible-runs-").FullName;
    private TestHost _host = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        var catalog = FixtureCatalog.For(nodes.Sshd)
            .AddPlaybook(AnsiblePlaybooks.WriteMarker, "写标记", AnsiblePlaybooks.WriteMarkerYaml, version: 3)
            .AddPlaybook(AnsiblePlaybooks.FailOnOne, "一个节点失败", AnsiblePlaybooks.FailOnOneYaml)
            .AddPlaybook(AnsiblePlaybooks.Sleep, "长任务", AnsiblePlaybooks.SleepYaml)
            .AddPlaybook(AnsiblePlaybooks.EchoVars, "回显变量", AnsiblePlaybooks.EchoVarsYaml)
            .AddPlaybook(AnsiblePlaybooks.ShowPassword, "打印密码", AnsiblePlaybooks.ShowPasswordYaml)
            .AddPlaybook(AnsiblePlaybooks.Quick, "快速", AnsiblePlaybooks.QuickYaml);
        _host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Ansible:FlushInterval"] = "00:00:00.200",
            ["Ansible:AdmissionRetry"] = "00:00:00.300",
        }, configureServices: catalog.Register);
        _user = await _host.ClientAsync(Role.User);
        using var admin = await _host.ClientAsync(Role.Admin);
        (await admin.PutJsonAsync("/api/v1/features/automation/ansible", Settings())).AssertStatus(HttpStatusCode.OK);
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_runs, recursive: true);
    }

    [Fact]
    public async Task Run_PlaybookThatWritesAFile_ChangesEachNodeAndReportsRecap()
    {
        var targets = nodes.Sshd.Nodes.Take(3).ToList();
        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = AnsiblePlaybooks.WriteMarker,
            cluster_name = "test",
            target_nodes = targets.Select(n => n.Name).ToArray(),
            credential_id = FixtureCatalog.KeyCredentialId,
            extra_vars = new { marker = _token, greeting = "hello" },
        });

        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId);

        Assert.Equal("completed", status.Status());
        Assert.Equal(3, status.GetProperty("success_count").GetInt32());
        Assert.Equal(0, status.GetProperty("failed_count").GetInt32());
        Assert.Equal(3, status.GetProperty("playbook_version").GetInt32());
        Assert.Equal("写标记", status.GetProperty("playbook_name").GetString());
        Assert.True(status.GetProperty("recap_final").GetBoolean());
        var output = status.GetProperty("output").GetString()!;
        Assert.Contains("PLAY RECAP", output, StringComparison.Ordinal);
        var results = AnsibleApiClient.Results(status);
        foreach (var node in targets)
        {
            Assert.Equal($"{node.Name} hello\n", File.ReadAllText(Path.Combine(node.Folder, _token + ".txt")));
            var result = results[node.Name];
            Assert.Equal("success", result.GetProperty("status").GetString());
            Assert.Contains("changed=1", result.GetProperty("message").GetString(), StringComparison.Ordinal);
            var recap = status.GetProperty("recap").GetProperty(node.Name);
            Assert.Equal(2, recap.GetProperty("ok").GetInt32());
            Assert.Equal(1, recap.GetProperty("changed").GetInt32());
            Assert.Equal(0, recap.GetProperty("failed").GetInt32());
            Assert.Equal(0, recap.GetProperty("unreachable").GetInt32());
        }

        Assert.Empty(Directory.GetDirectories(_runs));
    }

    [Fact]
    public async Task Run_TaskFailsOnOneNode_RunFailsWithThatNodesResult()
    {
        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = AnsiblePlaybooks.FailOnOne,
            cluster_name = "test",
            target_nodes = new[] { "node4", "node5", "node6" },
            credential_id = FixtureCatalog.KeyCredentialId,
            extra_vars = new { bad_node = "node5" },
        });

        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId);

        Assert.Equal("failed", status.Status());
        Assert.Equal(2, status.GetProperty("success_count").GetInt32());
        Assert.Equal(1, status.GetProperty("failed_count").GetInt32());
        var results = AnsibleApiClient.Results(status);
        Assert.Equal(["node4", "node5", "node6"], status.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("node").GetString()!).ToArray());
        var bad = results["node5"];
        Assert.Equal("failed", bad.GetProperty("status").GetString());
        Assert.Equal("TASK_FAILED", bad.GetProperty("error_code").GetString());
        Assert.Contains("One node breaks", bad.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("broken on purpose on node5", bad.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("success", results["node4"].GetProperty("status").GetString());
        Assert.Equal("success", results["node6"].GetProperty("status").GetString());
        var recap = status.GetProperty("recap");
        Assert.Equal(1, recap.GetProperty("node5").GetProperty("failed").GetInt32());
        Assert.Equal(1, recap.GetProperty("node5").GetProperty("ok").GetInt32());
        Assert.Equal(0, recap.GetProperty("node4").GetProperty("failed").GetInt32());
        Assert.Equal(2, recap.GetProperty("node4").GetProperty("ok").GetInt32());
        Assert.Equal(1, recap.GetProperty("node4").GetProperty("skipped").GetInt32());
    }

    [Fact]
    public async Task Run_OneNodeUnreachable_ThatNodeFailsAsUnreachableAndTheOtherSucceeds()
    {
        var real = nodes.Sshd.Nodes[6];
        var closedPort = ClosedPort();
        var catalog = _host.GetRequiredService<NodeOps.Catalog.ICatalogSource>() as FixtureCatalog;
        catalog!.Clusters["ghosts"] =
        [
            new ResolvedNode(real.Name, real.Address, real.Port, new Dictionary<string, string>()),
            new ResolvedNode("ghost", "127.0.0.1", closedPort, new Dictionary<string, string>()),
        ];
        // The ghost had been seen before (its key is pinned), so ansible-playbook itself finds it unreachable.
        await PinAsync("ghosts", "ghost", "127.0.0.1", closedPort, File.ReadAllText(real.HostKeyPath + ".pub"));

        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = AnsiblePlaybooks.Quick,
            cluster_name = "ghosts",
            target_nodes = new[] { real.Name, "ghost" },
            credential_id = FixtureCatalog.KeyCredentialId,
        });
        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId);

        Assert.Equal("failed", status.Status());
        var results = AnsibleApiClient.Results(status);
        Assert.Equal("success", results[real.Name].GetProperty("status").GetString());
        var ghost = results["ghost"];
        Assert.Equal("failed", ghost.GetProperty("status").GetString());
        Assert.Equal("UNREACHABLE", ghost.GetProperty("error_code").GetString());
        Assert.Contains("Connection refused", ghost.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, status.GetProperty("recap").GetProperty("ghost").GetProperty("unreachable").GetInt32());
    }

    [Fact]
    public async Task Run_NodeNeverSeenAndUnreachable_FailsBeforeThePlaybookWithConnectionError()
    {
        var closedPort = ClosedPort();
        var catalog = (FixtureCatalog)_host.GetRequiredService<NodeOps.Catalog.ICatalogSource>();
        catalog.Clusters["void"] = [new ResolvedNode("nobody", "127.0.0.1", closedPort, new Dictionary<string, string>())];

        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = AnsiblePlaybooks.Quick,
            cluster_name = "void",
            target_nodes = new[] { "nobody" },
            credential_id = FixtureCatalog.KeyCredentialId,
        });
        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId);

        Assert.Equal("failed", status.Status());
        var result = AnsibleApiClient.Results(status)["nobody"];
        Assert.Equal("SSH_CONNECTION_FAILED", result.GetProperty("error_code").GetString());
        Assert.Null(await _host.GetRequiredService<HostKeyPinStore>().GetAsync("void", "nobody"));
    }

    [Fact]
    public async Task Run_PinnedKeyDiffersFromTheNodes_NodeFailsWithHostKeyMismatch()
    {
        var node = nodes.Sshd.Nodes[7];
        var catalog = (FixtureCatalog)_host.GetRequiredService<NodeOps.Catalog.ICatalogSource>();
        catalog.Clusters["repinned"] = [new ResolvedNode(node.Name, node.Address, node.Port, new Dictionary<string, string>())];
        // Another key than the node's: what a node that was replaced (or impersonated) looks like.
        await PinAsync("repinned", node.Name, node.Address, node.Port, File.ReadAllText(nodes.Sshd.ClientKeyPath + ".pub"));

        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = AnsiblePlaybooks.WriteMarker,
            cluster_name = "repinned",
            target_nodes = new[] { node.Name },
            credential_id = FixtureCatalog.KeyCredentialId,
            extra_vars = new { marker = _token, greeting = "should-not-arrive" },
        });
        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId);

        var result = AnsibleApiClient.Results(status)[node.Name];
        Assert.Equal("failed", result.GetProperty("status").GetString());
        Assert.Equal("HOST_KEY_MISMATCH", result.GetProperty("error_code").GetString());
        Assert.False(File.Exists(Path.Combine(node.Folder, _token + ".txt")));
    }

    [Fact]
    public async Task Run_CheckMode_ReportsTheChangeWithoutMakingIt()
    {
        var node = nodes.Sshd.Nodes[8];
        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = AnsiblePlaybooks.WriteMarker,
            cluster_name = "test",
            target_nodes = new[] { node.Name },
            credential_id = FixtureCatalog.KeyCredentialId,
            extra_args = "--check --diff",
            extra_vars = new { marker = _token, greeting = "dry" },
        });
        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId);

        Assert.Equal("completed", status.Status());
        Assert.True(status.GetProperty("check_mode").GetBoolean());
        Assert.Equal(1, status.GetProperty("recap").GetProperty(node.Name).GetProperty("changed").GetInt32());
        Assert.False(File.Exists(Path.Combine(node.Folder, _token + ".txt")), "check mode wrote the file");
        // --diff shows what would change.
        Assert.Contains($"{node.Name} dry", status.GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ExtraVars_ReachThePlayLiterally()
    {
        var node = nodes.Sshd.Nodes[9];
        var pwned = Path.Combine(_runs, "pwned-" + _token);
        var template = "{{ lookup('pipe', 'touch " + pwned + "') }}";
        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = AnsiblePlaybooks.EchoVars,
            cluster_name = "test",
            target_nodes = new[] { node.Name },
            credential_id = FixtureCatalog.KeyCredentialId,
            extra_vars = new { marker = _token, text = template, numbers = new[] { 1, 2, 3 }, nested = new { flag = true, name = "x y" } },
        });
        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId);

        Assert.Equal("completed", status.Status());
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(node.Folder, _token + ".json")));
        Assert.Equal(template, written.RootElement.GetProperty("text").GetString());
        Assert.Equal([1, 2, 3], written.RootElement.GetProperty("numbers").EnumerateArray().Select(n => n.GetInt32()).ToArray());
        Assert.True(written.RootElement.GetProperty("nested").GetProperty("flag").GetBoolean());
        Assert.Equal("x y", written.RootElement.GetProperty("nested").GetProperty("name").GetString());
        Assert.False(File.Exists(pwned), "a template in extra_vars ran on the NodeOps host");
    }

    [Theory]
    [InlineData("--inventory /etc/hosts", "--inventory")]
    [InlineData("--check -e @/etc/passwd", "-e")]
    [InlineData("--ssh-common-args=-oStrictHostKeyChecking=no", "--ssh-common-args=-oStrictHostKeyChecking=no")]
    [InlineData("--vault-password-file /tmp/x", "--vault-password-file")]
    [InlineData("-vvvv", "-vvvv")]
    [InlineData("--module-path /tmp", "--module-path")]
    public async Task Run_ExtraArgsOutsideTheAllowList_Returns400NamingTheArgument(string extraArgs, string named)
    {
        var response = await _user.PostJsonAsync("/api/v1/automation/ansible/run", new
        {
            playbook_id = AnsiblePlaybooks.Quick,
            cluster_name = "test",
            target_nodes = new[] { "node1" },
            credential_id = FixtureCatalog.KeyCredentialId,
            extra_args = extraArgs,
        });

        response.AssertError(HttpStatusCode.BadRequest, "extra_args");
        Assert.Contains(named, response.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BadRequests_AnswerWithTheFieldAtFault()
    {
        object Body(string? extraArgs = null, object? extraVars = null, long playbook = AnsiblePlaybooks.Quick, string[]? targets = null) => new
        {
            playbook_id = playbook,
            cluster_name = "test",
            target_nodes = targets ?? ["node1", "node2"],
            credential_id = FixtureCatalog.KeyCredentialId,
            extra_args = extraArgs,
            extra_vars = extraVars,
        };
        const string Run = "/api/v1/automation/ansible/run";

        (await _user.PostJsonAsync(Run, Body(extraArgs: "--limit node9"))).AssertError(HttpStatusCode.BadRequest, "extra_args");
        (await _user.PostJsonAsync(Run, Body(extraArgs: "--limit ~node.*"))).AssertError(HttpStatusCode.BadRequest, "extra_args");
        (await _user.PostJsonAsync(Run, Body(extraArgs: "--tags '{{x}}'"))).AssertError(HttpStatusCode.BadRequest, "extra_args");
        (await _user.PostJsonAsync(Run, Body(extraArgs: "--check '"))).AssertError(HttpStatusCode.BadRequest, "extra_args");
        (await _user.PostJsonAsync(Run, Body(extraVars: new { ansible_ssh_common_args = "-o StrictHostKeyChecking=no" }))).AssertError(HttpStatusCode.BadRequest, "extra_vars.ansible_ssh_common_args");
        (await _user.PostJsonAsync(Run, Body(extraVars: new Dictionary<string, int> { ["bad-name"] = 1 }))).AssertError(HttpStatusCode.BadRequest, "extra_vars.bad-name");
        (await _user.PostJsonAsync(Run, Body(extraVars: new[] { 1, 2 }))).AssertError(HttpStatusCode.BadRequest, "extra_vars");
        (await _user.PostJsonAsync(Run, Body(playbook: 0))).AssertError(HttpStatusCode.BadRequest, "playbook_id");
        (await _user.PostJsonAsync(Run, Body(playbook: 999))).AssertError(HttpStatusCode.NotFound);
        (await _user.PostJsonAsync(Run, Body(targets: []))).AssertError(HttpStatusCode.BadRequest, "target_nodes");
        (await _user.PostJsonAsync(Run, new { playbook_id = 1, cluster_name = "test", target_nodes = new[] { "node1" }, credential_id = 1, surprise = 1 })).AssertError(HttpStatusCode.BadRequest, "surprise");
        (await _user.GetApiAsync("/api/v1/automation/ansible/status/ansible-exec-1-nothere")).AssertError(HttpStatusCode.NotFound);
        (await _user.GetApiAsync("/api/v1/automation/ansible/status/ansible-exec-1-nothere?output_offset=-1")).AssertError(HttpStatusCode.BadRequest, "output_offset");
        (await _user.GetApiAsync("/api/v1/automation/ansible/history?status=done")).AssertError(HttpStatusCode.BadRequest, "status");
    }

    [Fact]
    public async Task Run_LimitWithinTheTargets_RunsOnlyTheSelectedNodes()
    {
        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = AnsiblePlaybooks.WriteMarker,
            cluster_name = "test",
            target_nodes = new[] { "node10", "node11", "node12" },
            credential_id = FixtureCatalog.KeyCredentialId,
            extra_args = "--limit 'node1*:!node11'",
            extra_vars = new { marker = _token, greeting = "limited" },
        });
        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId);

        Assert.Equal("completed", status.Status());
        Assert.Equal(["node10", "node12"], status.GetProperty("target_nodes").EnumerateArray().Select(n => n.GetString()!).ToArray());
        Assert.True(File.Exists(Path.Combine(nodes.Sshd.Nodes[9].Folder, _token + ".txt")));
        Assert.False(File.Exists(Path.Combine(nodes.Sshd.Nodes[10].Folder, _token + ".txt")));
        Assert.True(File.Exists(Path.Combine(nodes.Sshd.Nodes[11].Folder, _token + ".txt")));
    }

    [Fact]
    public async Task Cancel_LongRun_StopsTheProcessGroupAndEndsCancelled()
    {
        // An unusual length makes the task's `sleep` on the nodes recognisable among other tests' processes.
        var seconds = 3000 + Random.Shared.Next(1000);
        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = AnsiblePlaybooks.Sleep,
            cluster_name = "test",
            target_nodes = new[] { "node13", "node14" },
            credential_id = FixtureCatalog.KeyCredentialId,
            extra_vars = new { seconds },
        });
        var runTag = "run-" + taskId[(taskId.LastIndexOf('-') + 1)..];
        await AnsibleApiClient.WaitForAsync(_user, taskId,
            s => s.GetProperty("current_task").ValueKind == JsonValueKind.String && SshdFixture.ProcessesWithCommandLine($"sleep {seconds}").Count == 2,
            TimeSpan.FromSeconds(30), "the sleep task running on both nodes");
        var clock = Stopwatch.StartNew();

        (await _user.PostJsonAsync($"/api/v1/automation/ansible/cancel/{taskId}", new { })).AssertStatus(HttpStatusCode.OK);
        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId, TimeSpan.FromSeconds(30));

        Assert.Equal("cancelled", status.Status());
        Assert.All(status.GetProperty("results").EnumerateArray(), r =>
        {
            Assert.Equal("cancelled", r.GetProperty("status").GetString());
            Assert.Contains("Sleep for a long time", r.GetProperty("message").GetString(), StringComparison.Ordinal);
        });
        await SshExecutionApiTests.AssertNoProcessAsync(runTag);
        // The task on the nodes is stopped too, not only ansible-playbook here.
        await SshExecutionApiTests.AssertNoProcessAsync($"sleep {seconds}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"cancel took {clock.Elapsed}");
        Assert.Empty(Directory.GetDirectories(_runs));
        (await _user.PostJsonAsync($"/api/v1/automation/ansible/cancel/{taskId}", new { })).AssertError(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Run_OverTheConcurrencyLimit_WaitsPendingAndStartsInOrder()
    {
        using var admin = await _host.ClientAsync(Role.Admin);
        (await admin.PutJsonAsync("/api/v1/features/automation/ansible", Settings(maxConcurrent: 1))).AssertStatus(HttpStatusCode.OK);
        object Sleep(string node, int seconds) => new
        {
            playbook_id = AnsiblePlaybooks.Sleep,
            cluster_name = "test",
            target_nodes = new[] { node },
            credential_id = FixtureCatalog.KeyCredentialId,
            extra_vars = new { seconds },
        };
        var first = await AnsibleApiClient.RunAsync(_user, Sleep("node15", 3));
        await AnsibleApiClient.WaitForAsync(_user, first, s => s.Status() == "running", TimeSpan.FromSeconds(20), "running");

        var second = await AnsibleApiClient.RunAsync(_user, Sleep("node16", 1));
        var third = await AnsibleApiClient.RunAsync(_user, Sleep("node17", 1));
        var secondWaiting = await AnsibleApiClient.StatusAsync(_user, second);
        var thirdWaiting = await AnsibleApiClient.StatusAsync(_user, third);

        Assert.Equal("pending", secondWaiting.Status());
        Assert.Equal(1, secondWaiting.GetProperty("queue_position").GetInt32());
        Assert.Equal("pending", thirdWaiting.Status());
        Assert.Equal(2, thirdWaiting.GetProperty("queue_position").GetInt32());
        var statuses = new List<JsonElement>();
        foreach (var taskId in new[] { first, second, third })
        {
            statuses.Add(await AnsibleApiClient.WaitForFinalAsync(_user, taskId, TimeSpan.FromSeconds(60)));
        }

        Assert.All(statuses, s => Assert.Equal("completed", s.Status()));
        var spans = statuses.Select(s => s.GetProperty("results")[0]).Select(r => (Start: r.GetProperty("start_time").GetDateTimeOffset(), End: r.GetProperty("end_time").GetDateTimeOffset())).ToList();
        Assert.True(spans[1].Start >= spans[0].End, $"the second started at {spans[1].Start:O}, before the first ended at {spans[0].End:O}");
        Assert.True(spans[2].Start >= spans[1].End, $"the third started at {spans[2].Start:O}, before the second ended at {spans[1].End:O}");
    }

    [Fact]
    public async Task Run_WithPasswordCredential_RunsAndNeverShowsThePassword()
    {
        var password = nodes.Sshd.Password;
        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = AnsiblePlaybooks.ShowPassword,
            cluster_name = "test",
            target_nodes = new[] { "node18" },
            credential_id = FixtureCatalog.PasswordCredentialId,
        });
        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId);
        var history = await _user.GetApiAsync("/api/v1/automation/ansible/history");

        Assert.Equal("completed", status.Status());
        Assert.Contains("the password is ********", status.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(password, status.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(password, history.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_OutputOffset_PagesThroughTheWholeOutput()
    {
        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = AnsiblePlaybooks.Quick,
            cluster_name = "test",
            target_nodes = new[] { "node19", "node20" },
            credential_id = FixtureCatalog.KeyCredentialId,
            extra_args = "-v",
        });
        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId);
        var whole = status.GetProperty("output").GetString()!;
        var total = status.GetProperty("output_total").GetInt64();

        var pages = new List<string>();
        long? offset = 0;
        for (var i = 0; i < 1000 && offset is { } at; i++)
        {
            var page = (await _user.GetApiAsync($"/api/v1/automation/ansible/status/{taskId}?output_offset={at}&output_limit=97")).AssertStatus(HttpStatusCode.OK).Data;
            Assert.Equal(at, page.GetProperty("output_offset").GetInt64());
            pages.Add(page.GetProperty("output").GetString()!);
            offset = page.GetProperty("output_next_offset").ValueKind == JsonValueKind.Null ? null : page.GetProperty("output_next_offset").GetInt64();
        }

        Assert.Equal(total, whole.Length);
        Assert.Equal(whole, string.Concat(pages));
        Assert.True(pages.Count > 2);
        Assert.Contains("PLAY [Quick]", whole, StringComparison.Ordinal);
        Assert.Contains("PLAY RECAP", whole, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_FiltersAndRecordsWhoRanWhichPlaybook()
    {
        var ok = await AnsibleApiClient.RunAsync(_user, new { playbook_id = AnsiblePlaybooks.Quick, cluster_name = "test", target_nodes = new[] { "node21" }, credential_id = 1 });
        var bad = await AnsibleApiClient.RunAsync(_user, new { playbook_id = AnsiblePlaybooks.FailOnOne, cluster_name = "test", target_nodes = new[] { "node21" }, credential_id = 1, extra_vars = new { bad_node = "node21" } });
        await AnsibleApiClient.WaitForFinalAsync(_user, ok);
        await AnsibleApiClient.WaitForFinalAsync(_user, bad);
        using var viewer = await _host.ClientAsync(Role.Viewer);

        var failed = await viewer.GetApiAsync("/api/v1/automation/ansible/history?status=failed&cluster_name=test");
        var elsewhere = await viewer.GetApiAsync("/api/v1/automation/ansible/history?cluster_name=other");
        var today = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var byDate = await viewer.GetApiAsync($"/api/v1/automation/ansible/history?start_date={today}&end_date={today}&page=1&page_size=100");

        var row = Assert.Single(failed.AssertStatus(HttpStatusCode.OK).Data.GetProperty("executions").EnumerateArray(), e => e.GetProperty("task_id").GetString() == bad);
        Assert.Equal("一个节点失败", row.GetProperty("playbook_name").GetString());
        Assert.Equal("test-user", row.GetProperty("username").GetString());
        Assert.Equal(1, row.GetProperty("failed_count").GetInt32());
        Assert.DoesNotContain(failed.Data.GetProperty("executions").EnumerateArray(), e => e.GetProperty("task_id").GetString() == ok);
        Assert.Equal(0, elsewhere.Data.GetProperty("total").GetInt32());
        var ids = byDate.Data.GetProperty("executions").EnumerateArray().Select(e => e.GetProperty("task_id").GetString()).ToList();
        Assert.Contains(ok, ids);
        Assert.Contains(bad, ids);
    }

    [Fact]
    public async Task Run_AsViewerOrWithAnsibleSwitchedOff_Returns403()
    {
        var body = new { playbook_id = AnsiblePlaybooks.Quick, cluster_name = "test", target_nodes = new[] { "node1" }, credential_id = 1 };
        using var viewer = await _host.ClientAsync(Role.Viewer);
        (await viewer.PostJsonAsync("/api/v1/automation/ansible/run", body)).AssertError(HttpStatusCode.Forbidden);

        using var admin = await _host.ClientAsync(Role.Admin);
        (await admin.PutJsonAsync("/api/v1/features/automation/ansible", Settings(enabled: false))).AssertStatus(HttpStatusCode.OK);
        var off = await _user.PostJsonAsync("/api/v1/automation/ansible/run", body);

        off.AssertError(HttpStatusCode.Forbidden);
        Assert.Equal("功能未启用", off.Json.GetProperty("message").GetString());
        (await viewer.GetApiAsync("/api/v1/automation/ansible/history")).AssertError(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Run_TimeoutSetting_StopsTheRunAndNodesTimeOut()
    {
        using var admin = await _host.ClientAsync(Role.Admin);
        (await admin.PutJsonAsync("/api/v1/features/automation/ansible", Settings(timeout: 3))).AssertStatus(HttpStatusCode.OK);
        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = AnsiblePlaybooks.Sleep,
            cluster_name = "test",
            target_nodes = new[] { "node22" },
            credential_id = FixtureCatalog.KeyCredentialId,
        });

        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId, TimeSpan.FromSeconds(30));

        Assert.Equal("failed", status.Status());
        Assert.Equal(3, status.GetProperty("timeout").GetInt32());
        Assert.Equal("timeout", AnsibleApiClient.Results(status)["node22"].GetProperty("status").GetString());
        await SshExecutionApiTests.AssertNoProcessAsync("run-" + taskId[(taskId.LastIndexOf('-') + 1)..]);
    }

    [Fact]
    public async Task Run_StreamsPerTaskAndPerHostProgressOverTheWebSocket()
    {
        var targets = new[] { "node23", "node24" };
        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = AnsiblePlaybooks.WriteMarker,
            cluster_name = "test",
            target_nodes = targets,
            credential_id = FixtureCatalog.KeyCredentialId,
            extra_vars = new { marker = _token + "-ws", greeting = "live" },
        });
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        var token = await _host.TokenAsync(Role.Viewer);
        await socket.ConnectAsync(new Uri($"ws://{_host.BaseAddress.Authority}/api/v1/progress/ws?token={token}"), CancellationToken.None);
        await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { action = "subscribe", task_id = taskId })),
            System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);

        var messages = new List<JsonElement>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var buffer = new byte[64 * 1024];
        while (messages.Count < 1000 && !messages.Any(m => m.GetProperty("type").GetString() == "complete"))
        {
            using var message = new MemoryStream();
            System.Net.WebSockets.WebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer, deadline.Token);
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);
            messages.Add(JsonDocument.Parse(message.ToArray()).RootElement.Clone());
        }

        // Intermediate events may be coalesced per task (the outbox keeps the latest when two arrive at once), so
        // not every host's event is promised to arrive; task events and host results with their fields are.
        var data = messages.Where(m => m.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object).Select(m => m.GetProperty("data")).ToList();
        Assert.Contains(messages, m => m.GetProperty("message").GetString()!.StartsWith("TASK [", StringComparison.Ordinal));
        Assert.Contains(data, d => d.TryGetProperty("task", out var t) && t.GetString() is "Find the node folder" or "Write the marker"
            && d.TryGetProperty("node", out var n) && targets.Contains(n.GetString())
            && d.GetProperty("result").GetString() is "ok" or "changed"
            && d.GetProperty("recap").GetProperty("ok").GetInt32() >= 1);
        Assert.Contains(messages, m => m.TryGetProperty("current_node", out var c) && targets.Contains(c.GetString()));

        var complete = messages.Last();
        Assert.Equal("complete", complete.GetProperty("type").GetString());
        Assert.Equal("completed", complete.GetProperty("data").GetProperty("status").GetString());
    }

    private async Task PinAsync(string cluster, string node, string address, int port, string publicKeyLine)
    {
        var parts = publicKeyLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var fingerprint = "SHA256:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Convert.FromBase64String(parts[1]))).TrimEnd('=');
        await _host.GetRequiredService<HostKeyPinStore>().PinIfAbsentAsync(
            new HostKeyPin(cluster, node, address, port, parts[0], parts[1], fingerprint, TimeProvider.System.GetUtcNow()));
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The features API wants every Ansible setting in one body; these are the defaults with this class's folder.</summary>
    private object Settings(bool enabled = true, int maxConcurrent = 10, int timeout = 3600, string binaryPath = "/usr/bin/ansible-playbook") => new
    {
        enabled,
        binary_path = binaryPath,
        temp_dir = _runs,
        timeout,
        max_concurrent = maxConcurrent,
        forks = 10,
    };
}
