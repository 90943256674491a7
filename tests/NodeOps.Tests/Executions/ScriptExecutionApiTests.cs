using System.Net;
using NodeOps.Auth;
using NodeOps.Catalog;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

[Collection(SshNodesCollection.Name)]
public sealed class ScriptExecutionApiTests(SshNodes nodes) : IAsyncLifetime
{
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];
    private TestHost _host = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        var catalog = FixtureCatalog.For(nodes.Sshd)
            .AddScript(1, "echo-params", "shell", "#!/bin/bash\nprintf '%s|%s\\n' \"$GREETING\" \"$OUTPUT_DIR\"\nread -r line || true\necho \"after read: ${line:-none}\"\n",
                new ScriptParameter("GREETING", "what to print", null, Required: true),
                new ScriptParameter("OUTPUT_DIR", "a default", "/tmp", Required: false))
            .AddScript(2, "py", "python", "import os, sys\nprint('py', os.environ['NAME'][::-1])\nsys.exit(int(os.environ.get('CODE', '0')))\n",
                new ScriptParameter("NAME", null, null, Required: true))
            .AddScript(3, "wipe", "shell", "#!/bin/bash\necho cleaning\nrm -rf --no-preserve-root /\n")
            .AddScript(4, "py-wipe", "python", "import shutil\nshutil.rmtree('/etc')\n");
        _host = await TestHost.StartAsync(configureServices: catalog.Register);
        _user = await _host.ClientAsync(Role.User);
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Execute_ParameterWithShellSyntax_ArrivesLiterallyAndRunsNothing()
    {
        var pwned = $"/tmp/pwned-{_token}";
        var hostile = $"$(touch {pwned}) `touch {pwned}` '; touch {pwned}; echo '";
        var taskId = await ExecutionApiClient.StartAsync(_user, "scripts", new
        {
            script_id = 1,
            cluster_name = "test",
            target_nodes = new[] { "node13", "node14" },
            credential_id = 1,
            parameters = new Dictionary<string, string> { ["GREETING"] = hostile },
        });

        var status = await ExecutionApiClient.WaitForFinalAsync(_user, "scripts", taskId);

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal("echo-params", status.GetProperty("script_name").GetString());
        Assert.Equal(1, status.GetProperty("script_version").GetInt32());
        Assert.All(status.GetProperty("results").EnumerateArray(), r =>
            Assert.Equal($"{hostile}|/tmp\nafter read: none\n", r.GetProperty("stdout").GetString()));
        Assert.False(File.Exists(pwned));
    }

    [Fact]
    public async Task Execute_PythonScript_GetsParametersAndReportsExitCode()
    {
        var taskId = await ExecutionApiClient.StartAsync(_user, "scripts", new
        {
            script_id = 2,
            cluster_name = "test",
            target_nodes = new[] { "node15" },
            credential_id = FixtureCatalog.PasswordCredentialId,
            parameters = new Dictionary<string, string> { ["NAME"] = "nodeops", ["CODE"] = "4" },
        });

        var result = ExecutionApiClient.ResultsByNode(await ExecutionApiClient.WaitForFinalAsync(_user, "scripts", taskId))["node15"];

        Assert.Equal("failed", result.GetProperty("status").GetString());
        Assert.Equal(4, result.GetProperty("exit_code").GetInt32());
        Assert.Equal("py spoedon\n", result.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task Execute_BadRequests_NameTheField()
    {
        var missing = await _user.PostJsonAsync("/api/v1/automation/scripts/execute", new { script_id = 1, cluster_name = "test", target_nodes = new[] { "node1" }, credential_id = 1 });
        missing.AssertError(HttpStatusCode.BadRequest, "parameters");
        Assert.Contains("GREETING", missing.Json.GetProperty("error").GetString(), StringComparison.Ordinal);

        (await _user.PostJsonAsync("/api/v1/automation/scripts/execute", new
        {
            script_id = 1, cluster_name = "test", target_nodes = new[] { "node1" }, credential_id = 1,
            parameters = new Dictionary<string, string> { ["GREETING"] = "x", ["BAD-NAME"] = "y" },
        })).AssertError(HttpStatusCode.BadRequest, "parameters.BAD-NAME");
        (await _user.PostJsonAsync("/api/v1/automation/scripts/execute", new { script_id = 99, cluster_name = "test", target_nodes = new[] { "node1" }, credential_id = 1 }))
            .AssertError(HttpStatusCode.NotFound);
        (await _user.GetApiAsync("/api/v1/automation/scripts/status/ssh-exec-1-abc")).AssertError(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Execute_DangerousScript_Returns422(long scriptId)
    {
        var response = await _user.PostJsonAsync("/api/v1/automation/scripts/execute", new { script_id = scriptId, cluster_name = "test", target_nodes = new[] { "node1" }, credential_id = 1 });

        response.AssertError(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("命令验证失败", response.Json.GetProperty("message").GetString());
        Assert.StartsWith("危险命令已拦截: ", response.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_ListsScriptRunsOnly()
    {
        var taskId = await ExecutionApiClient.StartAsync(_user, "scripts", new
        {
            script_id = 2, cluster_name = "test", target_nodes = new[] { "node16" }, credential_id = 1,
            parameters = new Dictionary<string, string> { ["NAME"] = "abc" },
        });
        await ExecutionApiClient.WaitForFinalAsync(_user, "scripts", taskId);

        var history = await _user.GetApiAsync("/api/v1/automation/scripts/history");
        var ssh = await _user.GetApiAsync("/api/v1/automation/ssh/history");

        var row = Assert.Single(history.Data.GetProperty("executions").EnumerateArray());
        Assert.Equal(taskId, row.GetProperty("task_id").GetString());
        Assert.Equal("py", row.GetProperty("script_name").GetString());
        Assert.StartsWith("script-exec-", taskId, StringComparison.Ordinal);
        Assert.Equal(0, ssh.Data.GetProperty("total").GetInt32());
    }
}
