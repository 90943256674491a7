using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.Api;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Sandbox;

/// <summary>
/// The audit's attack forms, run by a user-role account through the API against real sshd nodes: plays aimed at
/// the controller are refused at create and at run; lookups run, but inside the sandbox, where the data folder,
/// the keys and the server's environment are not there. Outputs are compared with the real key bytes.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class PlaybookSandboxTests(SshNodes nodes) : IAsyncLifetime
{
    private const string PlaybooksPath = "/api/v1/automation/ansible/playbooks";
    private const long LookupProbe = 201;
    private const long ControllerPlay = 202;
    private const string CanaryVariable = "Secrets__SandboxCanary";
    private static readonly string Canary = "canary-" + Guid.NewGuid().ToString("N");
    private readonly List<string> _dataPaths = [];
    private TestHost _host = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        // A secret in the server's own environment, as Secrets__MasterKey would be in production.
        Environment.SetEnvironmentVariable(CanaryVariable, Canary);
        _host = await StartHostAsync(allowControllerPlays: false);
        _user = await _host.ClientAsync(Role.User);
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _host.DisposeAsync();
        foreach (var path in _dataPaths)
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a pooled SQLite connection; the temp folder is cleaned by the OS eventually.
            }
        }
    }

    public static TheoryData<string, string> ControllerPlays => new()
    {
        { "hosts: localhost", "- hosts: localhost\n  tasks:\n    - command: id\n" },
        { "hosts: 127.0.0.1", "- hosts: 127.0.0.1\n  tasks:\n    - command: id\n" },
        { "hosts: ::1 in a list", "- hosts: [all, '::1']\n  tasks:\n    - command: id\n" },
        { "hosts: the server's own name", $"- hosts: {System.Net.Dns.GetHostName()}\n  tasks:\n    - command: id\n" },
        { "connection: local", "- hosts: all\n  connection: local\n  tasks:\n    - command: id\n" },
        { "delegate_to: localhost", "- hosts: all\n  tasks:\n    - name: steal\n      command: id\n      delegate_to: localhost\n" },
        { "delegate_to + connection: local", "- hosts: all\n  tasks:\n    - name: steal\n      command: id\n      delegate_to: 127.0.0.1\n      connection: local\n" },
        { "local_action", "- hosts: all\n  tasks:\n    - name: steal\n      local_action: command id\n" },
        { "vars ansible_connection", "- hosts: all\n  vars:\n    ansible_connection: local\n  tasks:\n    - command: id\n" },
        { "task vars ansible_connection", "- hosts: all\n  tasks:\n    - name: steal\n      command: id\n      vars:\n        ansible_connection: local\n" },
        { "set_fact ansible_connection", "- hosts: all\n  tasks:\n    - set_fact:\n        ansible_connection: local\n" },
        { "add_host free-form", "- hosts: all\n  tasks:\n    - add_host: name=evil ansible_connection=local\n" },
        { "templated hosts", "- hosts: \"{{ target }}\"\n  tasks:\n    - command: id\n" },
        { "templated delegate_to", "- hosts: all\n  tasks:\n    - name: steal\n      command: id\n      delegate_to: \"{{ where }}\"\n" },
        { "ProxyCommand through ssh args", "- hosts: all\n  vars:\n    ansible_ssh_common_args: \"-o ProxyCommand='sh -c id'\"\n  tasks:\n    - command: id\n" },
        { "nested block", "- hosts: all\n  tasks:\n    - name: outer\n      block:\n        - name: inner\n          command: id\n          delegate_to: localhost\n" },
    };

    [Theory]
    [MemberData(nameof(ControllerPlays))]
    public async Task Create_PlayAimedAtTheController_Returns422NamingPlayAndField(string form, string content)
    {
        var response = await _user.PostJsonAsync(PlaybooksPath, new { name = "attack " + Guid.NewGuid().ToString("N")[..8], content, category = "custom" });

        response.AssertError(HttpStatusCode.UnprocessableEntity, "content");
        Assert.Contains("play", response.Body, StringComparison.Ordinal);
        Assert.Contains("已拒绝", response.Body, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(form));
    }

    [Fact]
    public async Task Create_LookupInVarsFiles_RunsOnlyInTheSandboxDuringTheSyntaxCheck()
    {
        // ansible-playbook --syntax-check evaluates a lookup in vars_files; on the host it would create this file.
        var marker = Path.Combine(Path.GetTempPath(), "nodeops-pwned-" + Guid.NewGuid().ToString("N"));
        var content = $"- hosts: all\n  vars_files:\n    - \"{{{{ lookup('pipe', 'touch {marker}; cat {_host.DataPath}/master.key') }}}}\"\n  tasks:\n    - command: id\n";

        var response = await _user.PostJsonAsync(PlaybooksPath, new { name = "syntax " + Guid.NewGuid().ToString("N")[..8], content, category = "custom" });

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.Status);
        Assert.False(File.Exists(marker), "the syntax check ran the lookup on the NodeOps host");
        AssertNoSecrets(response.Body);
    }

    [Fact]
    public async Task Run_LookupsOfKeysFilesAndEnvironment_SeeOnlyTheSandbox()
    {
        var taskId = await AnsibleApiClient.RunAsync(_user, new
        {
            playbook_id = LookupProbe,
            cluster_name = "test",
            target_nodes = new[] { nodes.Sshd.Nodes[20].Name },
            credential_id = FixtureCatalog.KeyCredentialId,
        });
        var status = await AnsibleApiClient.WaitForFinalAsync(_user, taskId, TimeSpan.FromSeconds(120));

        var output = status.GetProperty("output").GetString()!;
        Assert.Contains("PLAY RECAP", output, StringComparison.Ordinal);
        // The lookups ran, as the sandbox user, in a PID namespace of their own...
        Assert.True(output.Contains("uid=65534", StringComparison.Ordinal) && output.Contains("probe-pid1=bwrap", StringComparison.Ordinal), output);
        // ...and found none of the server's secrets.
        AssertNoSecrets(output);
        AssertNoSecrets(status.ToString());
    }

    [Fact]
    public async Task Run_StoredControllerPlay_IsRefusedAtRunWith422()
    {
        var response = await _user.PostJsonAsync("/api/v1/automation/ansible/run", new
        {
            playbook_id = ControllerPlay,
            cluster_name = "test",
            target_nodes = new[] { nodes.Sshd.Nodes[21].Name },
            credential_id = FixtureCatalog.KeyCredentialId,
        });

        response.AssertError(HttpStatusCode.UnprocessableEntity, "playbook_id");
        Assert.Contains("localhost", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ControllerPlayAllowedByAdmin_StillRunsInTheSandbox()
    {
        await using var host = await StartHostAsync(allowControllerPlays: true);
        using var admin = await host.ClientAsync(Role.Admin);

        var taskId = await AnsibleApiClient.RunAsync(admin, new
        {
            playbook_id = ControllerPlay,
            cluster_name = "test",
            target_nodes = new[] { nodes.Sshd.Nodes[21].Name },
            credential_id = FixtureCatalog.KeyCredentialId,
        });
        var status = await AnsibleApiClient.WaitForFinalAsync(admin, taskId, TimeSpan.FromSeconds(120));

        var output = status.GetProperty("output").GetString()!;
        Assert.Contains("uid=65534", output, StringComparison.Ordinal);
        AssertNoSecrets(output, host.DataPath);
    }

    [Fact]
    public async Task Run_WhenTheSandboxCannotBeSetUp_IsRefusedNamingTheCause()
    {
        await using var host = await StartHostAsync(allowControllerPlays: false, ("Sandbox:BwrapPath", "/nonexistent/bwrap"));
        using var user = await host.ClientAsync(Role.User);

        var run = await user.PostJsonAsync("/api/v1/automation/ansible/run", new
        {
            playbook_id = LookupProbe,
            cluster_name = "test",
            target_nodes = new[] { nodes.Sshd.Nodes[22].Name },
            credential_id = FixtureCatalog.KeyCredentialId,
        });
        var create = await user.PostJsonAsync(PlaybooksPath, new { name = "ok " + Guid.NewGuid().ToString("N")[..8], content = "- hosts: all\n  tasks:\n    - command: id\n", category = "custom" });

        foreach (var response in new[] { run, create })
        {
            response.AssertError(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("SANDBOX_UNAVAILABLE", response.Body, StringComparison.Ordinal);
            Assert.Contains("/nonexistent/bwrap", response.Body, StringComparison.Ordinal);
        }
    }

    private async Task<TestHost> StartHostAsync(bool allowControllerPlays, params (string Key, string Value)[] extra)
    {
        var dataPath = Directory.CreateTempSubdirectory("nodeops-sandbox-data-").FullName;
        _dataPaths.Add(dataPath);
        var catalog = FixtureCatalog.For(nodes.Sshd)
            .AddPlaybook(LookupProbe, "lookup probe", LookupProbeYaml(dataPath))
            .AddPlaybook(ControllerPlay, "controller play", ControllerPlayYaml(dataPath));
        var settings = new Dictionary<string, string?> { ["Ansible:AllowControllerPlays"] = allowControllerPlays ? "true" : "false" };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var host = await TestHost.StartAsync(settings, dataPath, catalog.Register);
        // The master key is made on first use; make it now, so there is a real key to look for in the outputs.
        _ = host.GetRequiredService<NodeOps.Secrets.ISecretProtector>();
        return host;
    }

    /// <summary>Every lookup the audit used, each allowed to fail, all printed.</summary>
    private static string LookupProbeYaml(string dataPath) => $$$"""
        - name: Lookup probe
          hosts: all
          gather_facts: false
          tasks:
            - name: pipe
              debug:
                msg: "{{ lookup('pipe', 'cat {{{dataPath}}}/token-signing.key {{{dataPath}}}/master.key 2>&1; env; id; echo probe-pid1=$(cat /proc/1/comm); ls -a {{{dataPath}}} 2>&1; true') }}"
            - name: file
              debug:
                msg: "{{ lookup('file', '{{{dataPath}}}/master.key', errors='ignore') }}"
              ignore_errors: true
            - name: env
              debug:
                msg: "[{{ lookup('env', '{{{CanaryVariable}}}') }}] [{{ lookup('env', 'Secrets__MasterKey') }}] [{{ lookup('env', 'Auth__SigningKey') }}]"
        """;

    private static string ControllerPlayYaml(string dataPath) => $$$"""
        - name: Aimed at the controller
          hosts: localhost
          connection: local
          gather_facts: false
          tasks:
            - name: who and what
              debug:
                msg: "{{ lookup('pipe', 'id; cat {{{dataPath}}}/master.key {{{dataPath}}}/token-signing.key 2>&1; env; true') }}"
        """;

    private void AssertNoSecrets(string text) => AssertNoSecrets(text, _host.DataPath);

    private static void AssertNoSecrets(string text, string dataPath) => DataFolderSecrets.AssertAbsent(text, dataPath, Canary);
}
