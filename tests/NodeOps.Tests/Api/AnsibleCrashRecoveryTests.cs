using System.Net;
using NodeOps.Tests.Executions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

/// <summary>
/// Kills the NodeOps process (only it, not its children) while a playbook runs: the playbook's process group
/// notices its parent is gone and stops, removing its private folder; a new instance on the same store marks the
/// run's nodes interrupted, never runs them again, and the run ends failed.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class AnsibleCrashRecoveryTests(SshNodes nodes) : IDisposable
{
    private readonly CrashTestBed _bed = new("ansible-crash");

    [Fact]
    public async Task KilledInstance_PlaybookGroupStopsAndNewInstanceMarksNodesInterrupted()
    {
        var token = Guid.NewGuid().ToString("N")[..10];
        var targets = nodes.Sshd.Nodes.Skip(18).Take(2).ToList();
        var catalogFile = _bed.CatalogFile;
        FixtureCatalog.For(nodes.Sshd)
            .AddPlaybook(1, "crash", $"""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: Record the run, then take long
                      ansible.builtin.shell: echo run >> "$NODEOPS_NODE_DIR/crash-{token}.log"; sleep 300
                """)
            .Save(catalogFile);
        // The sandbox user must be able to pass through temp_dir's parents to reach its run folder.
        File.SetUnixFileMode(_bed.Folder, (UnixFileMode)0b111_001_001);
        var runs = Directory.CreateDirectory(Path.Combine(_bed.Folder, "runs")).FullName;

        var first = await _bed.StartAsync();
        using (var admin = await first.SignInAsync())
        {
            (await admin.PutJsonAsync("/api/v1/features/automation/ansible", new
            {
                enabled = true, binary_path = "/usr/bin/ansible-playbook", temp_dir = runs, timeout = 3600, max_concurrent = 10, forks = 10,
            })).AssertStatus(HttpStatusCode.OK);
            var taskId = await AnsibleApiClient.RunAsync(admin, new
            {
                playbook_id = 1,
                cluster_name = "test",
                target_nodes = targets.Select(n => n.Name).ToArray(),
                credential_id = FixtureCatalog.KeyCredentialId,
            });
            var runTag = "run-" + taskId[(taskId.LastIndexOf('-') + 1)..];
            await AnsibleApiClient.WaitForAsync(admin, taskId,
                _ => targets.All(n => SshdFixture.CountLines(n, $"crash-{token}.log") == 1) && SshdFixture.ProcessesWithCommandLine(runTag).Count > 0,
                TimeSpan.FromSeconds(60), "the playbook running on both nodes");

            // Only the NodeOps process dies, as in a crash; its playbook's processes are not killed by the test.
            first.Kill(entireProcessTree: false);
            await SshExecutionApiTests.AssertNoProcessAsync(runTag);
            var left = Directory.GetFileSystemEntries(runs, "*", SearchOption.AllDirectories);
            Assert.True(left.Length == 0, "left behind: " + string.Join(", ", left));

            var second = await _bed.StartAsync();
            using var again = await second.SignInAsync();
            var status = await AnsibleApiClient.WaitForFinalAsync(again, taskId, TimeSpan.FromSeconds(60));

            Assert.Equal("failed", status.Status());
            Assert.All(status.GetProperty("results").EnumerateArray(), r => Assert.Equal("interrupted", r.GetProperty("status").GetString()));
            Assert.Equal(2, status.GetProperty("failed_count").GetInt32());
            Assert.All(targets, n => Assert.Equal(1, SshdFixture.CountLines(n, $"crash-{token}.log")));
        }
    }

    public void Dispose() => _bed.Dispose();
}
