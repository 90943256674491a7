using System.Net;
using NodeOps.Auth;
using NodeOps.Runners.Ssh;
using NodeOps.Tests.Executions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Runners;

[Collection(SshNodesCollection.Name)]
public sealed class SshConnectionPoolTests(SshNodes nodes) : IAsyncLifetime
{
    private TestHost _host = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(configureServices: FixtureCatalog.For(nodes.Sshd).Register);
        _user = await _host.ClientAsync(Role.User);
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Runs_ReuseOneMasterPerNodeAndCredential_AndIdleMastersClose()
    {
        var pool = _host.GetRequiredService<SshConnectionPool>();
        var body = new { cluster_name = "test", target_nodes = new[] { "node1", "node2", "node3" }, credential_id = 1, command = "true" };

        await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", await ExecutionApiClient.StartAsync(_user, "ssh", body));
        await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", await ExecutionApiClient.StartAsync(_user, "ssh", body));
        Assert.Equal(3, pool.OpenCount);
        await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", await ExecutionApiClient.StartAsync(_user, "ssh", body with { credential_id = 2 }));
        Assert.Equal(6, pool.OpenCount);

        using var admin = await _host.ClientAsync(Role.Admin);
        (await admin.PutJsonAsync("/api/v1/features/automation/ssh", SshExecutionApiTests.SshSettings(poolSize: 2))).AssertStatus(HttpStatusCode.OK);
        await pool.SweepAsync();
        Assert.Equal(2, pool.OpenCount);
    }

    [Fact]
    public async Task PasswordRun_ThePasswordIsOnNoCommandLineAndInNoOutput()
    {
        var password = nodes.Sshd.Password;
        var taskId = await ExecutionApiClient.StartAsync(_user, "ssh", new
        {
            cluster_name = "test", target_nodes = new[] { "node4", "node5" }, credential_id = FixtureCatalog.PasswordCredentialId, command = "sleep 1; env; id -un",
        });
        var seen = new List<int>();
        var status = await ExecutionApiClient.WaitForAsync(_user, "ssh", taskId, s =>
        {
            seen.AddRange(SshdFixture.ProcessesWithCommandLine(password));
            return ExecutionApiClient.FinalStatuses.Contains(s.GetProperty("status").GetString());
        }, TimeSpan.FromSeconds(60), "a final status");

        Assert.Empty(seen);
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.DoesNotContain(password, status.ToString(), StringComparison.Ordinal);
    }
}
