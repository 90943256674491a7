using System.Net;
using NodeOps.Auth;
using NodeOps.Catalog;
using NodeOps.Catalog.BuiltIn;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

/// <summary>
/// The playbooks NodeOps ships, as the catalog seeded them at start-up, run in check mode through the API with the
/// real ansible-playbook against two sshd nodes (become goes through the fixture user's sudo). Check mode only: the
/// nodes are this machine, and these playbooks upgrade packages and restart services when run for real.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class AnsibleBuiltInPlaybooksTests(SshNodes nodes) : IAsyncLifetime
{
    private readonly string _runs = Directory.CreateTempSubdirectory("nodeops-ansible-builtin-").FullName;
    private readonly FixtureCatalog _catalog = FixtureCatalog.For(nodes.Sshd);
    private TestHost _host = null!;
    private HttpClient _user = null!;

    public static TheoryData<string> PlaybookKeys => new(BuiltInCatalog.Playbooks.Select(p => p.Key));

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Ansible:FlushInterval"] = "00:00:00.200",
            ["Ansible:AdmissionRetry"] = "00:00:00.300",
        }, configureServices: _catalog.Register);
        _user = await _host.ClientAsync(Role.User);
        using var admin = await _host.ClientAsync(Role.Admin);
        (await admin.PutJsonAsync("/api/v1/features/automation/ansible", AnsibleApiClient.Settings(_runs, timeout: 600))).AssertStatus(HttpStatusCode.OK);
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_runs, recursive: true);
    }

    [Theory]
    [MemberData(nameof(PlaybookKeys))]
    public async Task Run_BuiltInPlaybookInCheckMode_CompletesOnEveryNode(string key)
    {
        Assert.True(nodes.Sshd.CanBecomeRoot, "the built-in playbooks use become: the test bed needs sudo (.ci/run installs it)");
        var seeded = await SeededAsync(key);
        _catalog.AddPlaybook(seeded.Id, seeded.Name, seeded.Content, seeded.Version);
        var targets = nodes.Sshd.Nodes.TakeLast(2).Select(n => n.Name).ToArray();

        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = seeded.Id,
            cluster_name = "test",
            target_nodes = targets,
            credential_id = FixtureCatalog.KeyCredentialId,
            extra_args = "--check",
        });
        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId, TimeSpan.FromMinutes(4));

        var output = status.GetProperty("output").GetString()!;
        Assert.True(status.Status() == "completed", $"{key} ended {status.Status()}:\n{output}");
        Assert.True(status.GetProperty("check_mode").GetBoolean());
        Assert.Equal(seeded.Name, status.GetProperty("playbook_name").GetString());
        Assert.Equal(seeded.Version, status.GetProperty("playbook_version").GetInt32());
        Assert.Equal(2, status.GetProperty("success_count").GetInt32());
        Assert.Equal(0, status.GetProperty("failed_count").GetInt32());
        var results = AnsibleApiClient.Results(status);
        foreach (var node in targets)
        {
            Assert.Equal("success", results[node].GetProperty("status").GetString());
            var recap = status.GetProperty("recap").GetProperty(node);
            Assert.True(recap.GetProperty("ok").GetInt32() > 0, $"{key} did nothing on {node}:\n{output}");
            Assert.Equal(0, recap.GetProperty("failed").GetInt32());
            Assert.Equal(0, recap.GetProperty("unreachable").GetInt32());
        }
    }

    /// <summary>The playbook as the catalog seeded it at start-up: what an operator would pick from the list.</summary>
    private async Task<PlaybookSnapshot> SeededAsync(string key)
    {
        var playbooks = _host.GetRequiredService<PlaybookService>();
        var id = await playbooks.Store.FindBuiltinIdAsync(key) ?? throw new InvalidOperationException($"{key} was not seeded");
        var playbook = await playbooks.GetAsync(id);
        Assert.True(playbook.IsBuiltin);
        return new PlaybookSnapshot(playbook.Id, playbook.Name, playbook.Content, playbook.Version);
    }
}
