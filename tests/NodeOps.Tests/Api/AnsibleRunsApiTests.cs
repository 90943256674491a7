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
