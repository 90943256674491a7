using System.Collections.Concurrent;
using System.Globalization;
using NodeOps.Credentials;
using NodeOps.Runners.Ansible;
using NodeOps.Tests.Api;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Runners.Ansible;

/// <summary>The runner itself with the real ansible-playbook: what its private folder holds, and its process group.</summary>
[Collection(SshNodesCollection.Name)]
public sealed class AnsiblePlaybookRunnerTests(SshNodes nodes) : IAsyncLifetime
{
    private readonly string _runs = Directory.CreateTempSubdirectory("nodeops-ansible-runner-").FullName;
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(configureServices: FixtureCatalog.For(nodes.Sshd).Register);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_runs, recursive: true);
    }

    [Fact]
    public async Task Run_PrivateFolderHoldsPinnedKnownHostsAndPrivateFiles_AndIsRemovedAfterwards()
    {
        var node = nodes.Sshd.Nodes[0];
        var observer = new FolderInspector(_runs);
        var request = Request(AnsiblePlaybooks.QuickYaml, [node], Key(), new System.Text.Json.Nodes.JsonObject { ["greeting"] = "x" }, TimeSpan.FromSeconds(60));

        var result = await _host.GetRequiredService<IAnsibleRunner>().RunAsync(request, observer);

        Assert.Equal(AnsibleRunOutcome.Exited, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, result.Recap![node.Name].Ok);
        var seen = observer.Seen ?? throw new InvalidOperationException("the run folder was never inspected");
        Assert.Equal("700", seen.FolderMode);
        Assert.All(seen.FileModes, f => Assert.True(f.Value == "600", $"{f.Key} is {f.Value}"));
        Assert.Contains("id_key", seen.FileModes.Keys);
        Assert.Contains("extra_vars.json", seen.FileModes.Keys);
        Assert.Contains("host_key_checking = True", seen.Config, StringComparison.Ordinal);
        Assert.Contains("StrictHostKeyChecking=yes", seen.Config, StringComparison.Ordinal);
        Assert.DoesNotContain("StrictHostKeyChecking=no", seen.Config, StringComparison.Ordinal);
        var hostKey = File.ReadAllText(node.HostKeyPath + ".pub").Split(' ');
        Assert.Equal($"nodeops-node-0 {hostKey[0]} {hostKey[1]}\n", seen.KnownHosts);
        Assert.DoesNotContain(".ssh", seen.Config, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(_runs));
        Assert.Equal(["playbook_start", "play_start", "task_start", "host_start", "host_result", "stats"], observer.Events.Select(e => e.Event).ToArray());
    }

    [Fact]
    public async Task Run_WithPassword_KeepsThePasswordOffCommandLinesAndEnvironments()
    {
        var node = nodes.Sshd.Nodes[1];
        var observer = new FolderInspector(_runs);
        var credential = new SshCredential(2, "pw", nodes.Sshd.User, CredentialAuthType.Password, 22, nodes.Sshd.Password, null, null);

        var result = await _host.GetRequiredService<IAnsibleRunner>().RunAsync(Request(AnsiblePlaybooks.QuickYaml, [node], credential, null, TimeSpan.FromSeconds(60)), observer);

        Assert.Equal(0, result.ExitCode);
        var seen = observer.Seen!;
        Assert.Contains("connection_vars.json", seen.FileModes.Keys);
        Assert.DoesNotContain("id_key", seen.FileModes.Keys);
        Assert.NotEmpty(seen.GroupProcesses);
        Assert.All(seen.GroupProcesses, p => Assert.DoesNotContain(nodes.Sshd.Password, p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_Cancelled_StopsEveryProcessOfTheGroup()
    {
        var targets = nodes.Sshd.Nodes.Skip(2).Take(3).ToList();
        var observer = new FolderInspector(_runs);
        using var cancel = new CancellationTokenSource();
        observer.OnHostStarted = () => cancel.CancelAfter(TimeSpan.FromSeconds(1));

        var result = await _host.GetRequiredService<IAnsibleRunner>().RunAsync(
            Request(AnsiblePlaybooks.SleepYaml, targets, Key(), null, TimeSpan.FromMinutes(5)), observer, cancel.Token);

        Assert.Equal(AnsibleRunOutcome.Stopped, result.Outcome);
        Assert.Null(result.Recap);
        var group = observer.Events.First(e => e.Event == "playbook_start").Pgid!.Value;
        Assert.True(observer.Seen!.GroupProcesses.Count >= 2, "the run had only " + observer.Seen.GroupProcesses.Count + " processes");
        Assert.Empty(AnsibleProcessGroup.Members(group));
        Assert.Empty(Directory.GetDirectories(_runs));
    }

    [Fact]
    public async Task Run_TimeoutRunsOut_StopsTheGroupAndSaysSo()
    {
        var result = await _host.GetRequiredService<IAnsibleRunner>().RunAsync(
            Request(AnsiblePlaybooks.SleepYaml, [nodes.Sshd.Nodes[5]], Key(), null, TimeSpan.FromSeconds(3)), new FolderInspector(_runs));

        Assert.Equal(AnsibleRunOutcome.TimedOut, result.Outcome);
        // The playbook sleeps 300 s: ending well before that proves the timeout stopped it, however slow the machine.
        Assert.True(result.Duration < TimeSpan.FromSeconds(120), result.Duration.ToString());
    }

    [Fact]
    public async Task Run_BrokenPlaybook_ExitsWithAnErrorAndNoRecap()
    {
        var result = await _host.GetRequiredService<IAnsibleRunner>().RunAsync(
            Request("- hosts: all\n  tasks:\n    - name: bad\n      no_such_module_anywhere: {}\n", [nodes.Sshd.Nodes[6]], Key(), null, TimeSpan.FromSeconds(60)), new FolderInspector(_runs));

        Assert.Equal(AnsibleRunOutcome.Exited, result.Outcome);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Null(result.Recap);
        Assert.Contains("no_such_module_anywhere", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingBinary_DoesNotStart()
    {
        var request = Request(AnsiblePlaybooks.QuickYaml, [nodes.Sshd.Nodes[7]], Key(), null, TimeSpan.FromSeconds(60)) with { BinaryPath = "/nonexistent/ansible-playbook" };

        var result = await _host.GetRequiredService<IAnsibleRunner>().RunAsync(request, new FolderInspector(_runs));

        Assert.Null(result.Recap);
        Assert.NotEqual(0, result.ExitCode ?? 0);
        Assert.Empty(Directory.GetDirectories(_runs));
    }

    private SshCredential Key() => new(1, "key", nodes.Sshd.User, CredentialAuthType.PrivateKey, 22, null, nodes.Sshd.ClientPrivateKey, null);

    private AnsibleRunRequest Request(string playbook, IReadOnlyList<SshdNode> targets, SshCredential credential, System.Text.Json.Nodes.JsonObject? extraVars, TimeSpan timeout) => new(
        "t" + Guid.NewGuid().ToString("N")[..6],
        "runner-" + Guid.NewGuid().ToString("N")[..6],
        playbook,
        targets.Select(n => new AnsibleHost(n.Name, n.Address, n.Port, new Dictionary<string, string>())).ToList(),
        credential,
        extraVars,
        AnsibleArguments.None,
        "/usr/bin/ansible-playbook",
        _runs,
        5,
        timeout);

    /// <summary>Looks into the run's folder and process group when the first host starts a task, and keeps the events.</summary>
    private sealed class FolderInspector(string parent) : IAnsibleRunObserver
    {
        private int _inspected;

        public ConcurrentQueue<AnsibleEvent> Events { get; } = new();

        public Inspection? Seen { get; private set; }

        public Action? OnHostStarted { get; set; }

        public void OnOutput(string text)
        {
        }

        public void OnEvent(AnsibleEvent runEvent)
        {
            Events.Enqueue(runEvent);
            if (runEvent.Event == AnsibleEvent.HostStart && Interlocked.Exchange(ref _inspected, 1) == 0)
            {
                var folder = Directory.GetDirectories(parent).Single();
                var group = Events.First(e => e.Event == AnsibleEvent.PlaybookStart).Pgid!.Value;
                Seen = new Inspection(
                    Mode(folder),
                    Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), Mode),
                    File.ReadAllText(Path.Combine(folder, "ansible.cfg")),
                    File.ReadAllText(Path.Combine(folder, "known_hosts")),
                    AnsibleProcessGroup.Members(group).Select(CommandLineAndEnvironment).ToList());
                OnHostStarted?.Invoke();
            }
        }

        private static string Mode(string path) =>
            OperatingSystem.IsWindows() ? "" : Convert.ToString((int)File.GetUnixFileMode(path), 8);

        private static string CommandLineAndEnvironment(int pid)
        {
            try
            {
                var proc = "/proc/" + pid.ToString(CultureInfo.InvariantCulture);
                return File.ReadAllText(proc + "/cmdline") + "\n" + File.ReadAllText(proc + "/environ");
            }
            catch (IOException)
            {
                return "";
            }
        }
    }

    private sealed record Inspection(string FolderMode, Dictionary<string, string> FileModes, string Config, string KnownHosts, List<string> GroupProcesses);
}
