using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodeOps.Auth;
using NodeOps.Catalog;
using NodeOps.Tests.Api;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

[Collection(SshNodesCollection.Name)]
public sealed class ScriptExecutionApiTests(SshNodes nodes) : IAsyncLifetime
{
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];
    private const string SecretShellScript =
        "#!/bin/bash\nprintf '%s' \"$DB_PASSWORD\" | sha256sum | cut -d' ' -f1\necho \"user=$DB_USER\"\necho \"raw=$DB_PASSWORD\"\n";

    private const string SecretPythonScript =
        "from __future__ import annotations\nimport hashlib, os\nvalue = os.environ['DB_PASSWORD']\nprint(hashlib.sha256(value.encode()).hexdigest())\n"
        + "print(f\"user={os.environ['DB_USER']}\")\nprint('raw=' + value)\n";

    private readonly CapturingLoggerProvider _logs = new();
    private TestHost _host = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        var catalog = FixtureCatalog.For(nodes.Sshd)
            .AddScript(1, "echo-params", "shell", "#!/bin/bash\nprintf '%s|%s\\n' \"$GREETING\" \"$OUTPUT_DIR\"\nread -r line || true\necho \"after read: ${line:-none}\"\n",
                new ScriptParameter("GREETING", "what to print", null, Required: true),
                new ScriptParameter("OUTPUT_DIR", "a default", "/tmp", Required: false))
            .AddScript(2, "py", "python", "import os, sys\nprint('py', os.environ['NAME'][::-1])\nsys.exit(int(os.environ.get('CODE', '0')))\n",
                new ScriptParameter("NAME", null, null, Required: true),
                new ScriptParameter("CODE", "exit code", null, Required: false))
            .AddScript(3, "wipe", "shell", "#!/bin/bash\necho cleaning\nrm -rf --no-preserve-root /\n")
            .AddScript(4, "py-wipe", "python", "import shutil\nshutil.rmtree('/etc')\n")
            .AddScript(5, "db-login", "shell", SecretShellScript,
                new ScriptParameter("DB_USER", "login", null, Required: true),
                new ScriptParameter("DB_PASSWORD", "password", null, Required: true, Secret: true))
            .AddScript(6, "py-db-login", "python", SecretPythonScript,
                new ScriptParameter("DB_USER", "login", null, Required: true),
                new ScriptParameter("DB_PASSWORD", "password", null, Required: true, Secret: true))
            .AddScript(7, "stored-reserved", "shell", "#!/bin/bash\necho hi\n",
                new ScriptParameter("LD_PRELOAD", "stored before the catalog refused it", "/tmp/evil.so", Required: false));
        _host = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace" },
            configureServices: services =>
            {
                catalog.Register(services);
                services.AddSingleton<ILoggerProvider>(_logs);
            });
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

    [Fact]
    public async Task Execute_UndeclaredParameter_Returns400NamingIt_AndRunsNothing()
    {
        var response = await _user.PostJsonAsync("/api/v1/automation/scripts/execute", new
        {
            script_id = 1, cluster_name = "test", target_nodes = new[] { "node17" }, credential_id = 1,
            parameters = new Dictionary<string, string> { ["GREETING"] = "x", ["EXTRA"] = "y" },
        });

        response.AssertError(HttpStatusCode.BadRequest, "parameters.EXTRA");
        Assert.Contains("EXTRA", response.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        var history = await _user.GetApiAsync("/api/v1/automation/scripts/history?page_size=100");
        Assert.DoesNotContain(history.Data.GetProperty("executions").EnumerateArray(), r => r.GetProperty("script_name").GetString() == "echo-params"
            && r.GetProperty("target_nodes").EnumerateArray().Any(n => n.GetString() == "node17"));
    }

    [Theory]
    [InlineData("LD_PRELOAD")]
    [InlineData("BASH_ENV")]
    [InlineData("PYTHONSTARTUP")]
    [InlineData("PATH")]
    [InlineData("SSH_AUTH_SOCK")]
    public async Task Execute_ReservedParameterName_Returns400NamingIt(string name)
    {
        var response = await _user.PostJsonAsync("/api/v1/automation/scripts/execute", new
        {
            script_id = 1, cluster_name = "test", target_nodes = new[] { "node17" }, credential_id = 1,
            parameters = new Dictionary<string, string> { ["GREETING"] = "x", [name] = "/tmp/x" },
        });

        response.AssertError(HttpStatusCode.BadRequest, $"parameters.{name}");
        Assert.Contains(name, response.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_ReservedNameInAStoredDeclaration_IsRefusedAtRunTime()
    {
        var response = await _user.PostJsonAsync("/api/v1/automation/scripts/execute", new
        {
            script_id = 7, cluster_name = "test", target_nodes = new[] { "node17" }, credential_id = 1,
        });

        response.AssertError(HttpStatusCode.BadRequest, "parameters.LD_PRELOAD");
    }

    [Theory]
    [InlineData(5, "node18")]
    [InlineData(6, "node19")]
    public async Task Execute_SecretParameter_ReachesTheNode_ButNeverAResponseLogOrStoredRow(long scriptId, string node)
    {
        // Quotes, a substitution, a newline and non-ASCII text: the node must get exactly these bytes. The two plain
        // tokens are what the stored bytes are searched for, since JSON storage would escape the rest.
        var head = "s3cr3t" + Guid.NewGuid().ToString("N");
        var tail = "tail" + Guid.NewGuid().ToString("N");
        var secret = $"{head}'\"$(id) `id`\n{tail} ü";
        var expectedHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        using var viewer = await _host.ClientAsync(Role.Viewer);
        using var admin = await _host.ClientAsync(Role.Admin);
        var bodies = new List<string>();

        var started = await _user.PostJsonAsync("/api/v1/automation/scripts/execute", new
        {
            script_id = scriptId, cluster_name = "test", target_nodes = new[] { node }, credential_id = 1,
            parameters = new Dictionary<string, string> { ["DB_USER"] = "app-" + _token, ["DB_PASSWORD"] = secret },
        });
        started.AssertStatus(HttpStatusCode.OK);
        bodies.Add(started.Body);
        var taskId = started.Data.GetProperty("task_id").GetString()!;
        var status = await ExecutionApiClient.WaitForFinalAsync(_user, "scripts", taskId);

        Assert.Equal("completed", status.GetProperty("status").GetString());
        var stdout = ExecutionApiClient.ResultsByNode(status)[node].GetProperty("stdout").GetString()!;
        Assert.Equal($"{expectedHash}\nuser=app-{_token}\nraw=******\n", stdout);

        foreach (var client in new[] { _user, viewer, admin })
        {
            bodies.Add((await client.GetApiAsync($"/api/v1/automation/scripts/status/{taskId}")).AssertStatus(HttpStatusCode.OK).Body);
            bodies.Add((await client.GetApiAsync("/api/v1/automation/scripts/history?page_size=100")).AssertStatus(HttpStatusCode.OK).Body);
        }

        var fragments = new[] { head, tail };
        var shown = bodies.Concat(bodies.Select(b => string.Join('\n', Strings(JsonSerializer.Deserialize<JsonElement>(b))))).Concat(_logs.Lines).ToList();
        Assert.NotEmpty(_logs.Lines);
        foreach (var fragment in fragments)
        {
            Assert.All(shown, text => Assert.DoesNotContain(fragment, text, StringComparison.Ordinal));
        }

        foreach (var file in Directory.EnumerateFiles(_host.DataPath, "*", SearchOption.AllDirectories))
        {
            var bytes = await ReadSharedAsync(file);
            foreach (var fragment in fragments)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(fragment)) < 0, $"a secret fragment was found in {file}");
            }
        }

        var shownToUser = (await _user.GetApiAsync($"/api/v1/automation/scripts/status/{taskId}")).Data.GetProperty("parameters");
        Assert.Equal("******", shownToUser.GetProperty("DB_PASSWORD").GetString());
        Assert.Equal("app-" + _token, shownToUser.GetProperty("DB_USER").GetString());
    }

    [Fact]
    public async Task StatusAndHistory_ShowParameterValuesToTheRunnerAndAdmins_NamesOnlyToViewers()
    {
        using var viewer = await _host.ClientAsync(Role.Viewer);
        using var admin = await _host.ClientAsync(Role.Admin);
        var value = "visible-to-owner-" + _token;
        var taskId = await ExecutionApiClient.StartAsync(_user, "scripts", new
        {
            script_id = 1, cluster_name = "test", target_nodes = new[] { "node20" }, credential_id = 1,
            parameters = new Dictionary<string, string> { ["GREETING"] = value },
        });
        await ExecutionApiClient.WaitForFinalAsync(_user, "scripts", taskId);

        JsonElement Parameters(ApiResponse status) => status.AssertStatus(HttpStatusCode.OK).Data.GetProperty("parameters");
        JsonElement HistoryParameters(ApiResponse history) => history.AssertStatus(HttpStatusCode.OK).Data.GetProperty("executions").EnumerateArray()
            .Single(r => r.GetProperty("task_id").GetString() == taskId).GetProperty("parameters");

        foreach (var client in new[] { _user, admin })
        {
            Assert.Equal(value, Parameters(await client.GetApiAsync($"/api/v1/automation/scripts/status/{taskId}")).GetProperty("GREETING").GetString());
            Assert.Equal(value, HistoryParameters(await client.GetApiAsync("/api/v1/automation/scripts/history?page_size=100")).GetProperty("GREETING").GetString());
        }

        var viewerStatus = await viewer.GetApiAsync($"/api/v1/automation/scripts/status/{taskId}");
        var viewerHistory = await viewer.GetApiAsync("/api/v1/automation/scripts/history?page_size=100");
        Assert.Equal(["GREETING", "OUTPUT_DIR"], Parameters(viewerStatus).EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(Parameters(viewerStatus).EnumerateObject(), p => Assert.Equal("******", p.Value.GetString()));
        Assert.All(HistoryParameters(viewerHistory).EnumerateObject(), p => Assert.Equal("******", p.Value.GetString()));
    }

    [Fact]
    public async Task DataFolder_AfterStartAndARun_HoldsOnlyOwnerOnlyFiles()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // POSIX file modes only
        }

        var taskId = await ExecutionApiClient.StartAsync(_user, "scripts", new
        {
            script_id = 1, cluster_name = "test", target_nodes = new[] { "node17" }, credential_id = 1,
            parameters = new Dictionary<string, string> { ["GREETING"] = "modes" },
        });
        await ExecutionApiClient.WaitForFinalAsync(_user, "scripts", taskId);

        var files = Directory.EnumerateFiles(_host.DataPath, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => Path.GetFileName(f) == "nodeops.db");
        Assert.Contains(files, f => Path.GetFileName(f) == "nodeops.db-wal");
        Assert.Contains(files, f => Path.GetFileName(f) == "master.key");
        Assert.All(files, f => Assert.True(File.GetUnixFileMode(f) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{f} is {File.GetUnixFileMode(f)}"));
        Assert.All(Directory.EnumerateDirectories(_host.DataPath, "*", SearchOption.AllDirectories).Prepend(_host.DataPath), d =>
            Assert.True(File.GetUnixFileMode(d) == (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute), $"{d} is {File.GetUnixFileMode(d)}"));
    }

    /// <summary>Every property name and string value of a JSON document, unescaped.</summary>
    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    private static async Task<byte[]> ReadSharedAsync(string file)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
