using System.Net;
using NodeOps.Auth;
using NodeOps.Runners.Ssh;
using NodeOps.Tests.Executions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Runners;

[Collection(SshNodesCollection.Name)]
public sealed class SshConnectionPoolTests(SshNodes nodes) : SshNodesTest(nodes)
{
    [Fact]
    public async Task Runs_ReuseOneConnectionPerNodeAndCredential_AndIdleConnectionsClose()
    {
        var pool = Host.GetRequiredService<SshConnectionPool>();
        var body = new { cluster_name = "test", target_nodes = new[] { "node1", "node2", "node3" }, credential_id = 1, command = "true" };

        await ExecutionApiClient.WaitForFinalAsync(User, "ssh", await ExecutionApiClient.StartAsync(User, "ssh", body));
        await ExecutionApiClient.WaitForFinalAsync(User, "ssh", await ExecutionApiClient.StartAsync(User, "ssh", body));
        Assert.Equal(3, pool.OpenCount);
        await ExecutionApiClient.WaitForFinalAsync(User, "ssh", await ExecutionApiClient.StartAsync(User, "ssh", body with { credential_id = 2 }));
        Assert.Equal(6, pool.OpenCount);

        using var admin = await Host.ClientAsync(Role.Admin);
        (await admin.PutJsonAsync("/api/v1/features/automation/ssh", SshExecutionApiTests.SshSettings(poolSize: 2))).AssertStatus(HttpStatusCode.OK);
        await pool.SweepAsync();
        Assert.Equal(2, pool.OpenCount);
    }

    [Fact]
    public async Task PasswordRun_ThePasswordIsOnNoCommandLineAndInNoOutput()
    {
        var password = Nodes.Sshd.Password;
        var taskId = await ExecutionApiClient.StartAsync(User, "ssh", new
        {
            cluster_name = "test", target_nodes = new[] { "node4", "node5" }, credential_id = FixtureCatalog.PasswordCredentialId, command = "sleep 1; env; id -un",
        });
        var seen = new List<int>();
        var status = await ExecutionApiClient.WaitForAsync(User, "ssh", taskId, s =>
        {
            seen.AddRange(SshdFixture.ProcessesWithCommandLine(password));
            return ExecutionApiClient.FinalStatuses.Contains(s.GetProperty("status").GetString());
        }, TimeSpan.FromSeconds(60), "a final status");

        Assert.Empty(seen);
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.DoesNotContain(password, status.ToString(), StringComparison.Ordinal);
    }
}
