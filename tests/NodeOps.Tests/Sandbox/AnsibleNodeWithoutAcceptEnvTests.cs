using System.Net;
using System.Text.Json;
using NodeOps.Auth;
using NodeOps.Credentials;
using NodeOps.Tests.Api;
using NodeOps.Tests.Executions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Sandbox;

/// <summary>
/// Playbook runs, sandboxed, on nodes whose sshd accepts no environment variables from clients (no AcceptEnv) and
/// with a passphrase-protected key held by the run's private agent.
/// </summary>
public sealed class AnsibleNodeWithoutAcceptEnvTests : IAsyncLifetime
{
    private const long PassphraseCredentialId = 3;
    private SshdFixture _sshd = null!;
    private TestHost _host = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        _sshd = await SshdFixture.StartAsync(2, "plain", acceptEnvironment: false);
        var passphrase = "pp-" + Guid.NewGuid().ToString("N");
        var privateKey = await _sshd.AuthorizeNewKeyAsync("ed25519", passphrase);
        var catalog = FixtureCatalog.For(_sshd)
            .AddPlaybook(AnsiblePlaybooks.Sleep, "长任务", AnsiblePlaybooks.SleepYaml)
            .AddPlaybook(AnsiblePlaybooks.Quick, "快速", AnsiblePlaybooks.QuickYaml);
        catalog.Credentials[PassphraseCredentialId] = new SshCredential(PassphraseCredentialId, "fixture-passphrase-key", _sshd.User, CredentialAuthType.PrivateKey, 22, null, privateKey, passphrase);
        _host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Ansible:FlushInterval"] = "00:00:00.200" }, configureServices: catalog.Register);
        _user = await _host.ClientAsync(Role.User);
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _host.DisposeAsync();
        await _sshd.DisposeAsync();
    }

    [Fact]
    public async Task Run_WithPassphraseProtectedKey_SucceedsOnEveryNode()
    {
        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = AnsiblePlaybooks.Quick,
            cluster_name = "test",
            target_nodes = _sshd.Nodes.Select(n => n.Name).ToArray(),
            credential_id = PassphraseCredentialId,
        });

        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId, TimeSpan.FromSeconds(120));

        Assert.True(status.Status() == "completed", status.ToString());
        Assert.All(AnsibleApiClient.Results(status).Values, r => Assert.Equal("success", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Cancel_OnNodesThatAcceptNoEnvironment_StopsTheRemoteTaskAndSaysSo()
    {
        var seconds = 5000 + Random.Shared.Next(1000);
        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = AnsiblePlaybooks.Sleep,
            cluster_name = "test",
            target_nodes = _sshd.Nodes.Select(n => n.Name).ToArray(),
            credential_id = FixtureCatalog.KeyCredentialId,
            extra_vars = new { seconds },
        });
        await AnsibleApiClient.WaitForAsync(_user, taskId,
            s => s.GetProperty("current_task").ValueKind == JsonValueKind.String && SshdFixture.ProcessesWithCommandLine($"sleep {seconds}").Count == 2,
            TimeSpan.FromSeconds(60), "the sleep task running on both nodes");

        (await _user.PostJsonAsync($"/api/v1/automation/ansible/cancel/{taskId}", new { })).AssertStatus(HttpStatusCode.OK);
        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId, TimeSpan.FromSeconds(60));

        Assert.Equal("cancelled", status.Status());
        await SshExecutionApiTests.AssertNoProcessAsync($"sleep {seconds}");
        // Found through the interpreter's tag, not sshd's AcceptEnv, and confirmed gone: no "cannot confirm" note.
        Assert.All(status.GetProperty("results").EnumerateArray(), r =>
        {
            Assert.Equal("cancelled", r.GetProperty("status").GetString());
            Assert.DoesNotContain("无法确认", r.GetProperty("message").GetString(), StringComparison.Ordinal);
        });
    }
}
