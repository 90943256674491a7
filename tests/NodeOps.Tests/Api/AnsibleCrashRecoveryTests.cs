using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
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
    private const string Password = "ansible-crash-admin-password";
    private readonly string _folder = Directory.CreateTempSubdirectory("nodeops-ansible-crash-").FullName;
    private readonly List<Process> _children = [];

    [Fact]
    public async Task KilledInstance_PlaybookGroupStopsAndNewInstanceMarksNodesInterrupted()
    {
        var token = Guid.NewGuid().ToString("N")[..10];
        var targets = nodes.Sshd.Nodes.Skip(18).Take(2).ToList();
        var catalogFile = Path.Combine(_folder, "catalog.json");
        FixtureCatalog.For(nodes.Sshd)
            .AddPlaybook(1, "crash", $"""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: Record the run, then take long
                      ansible.builtin.shell: echo run >> "$NODEOPS_NODE_DIR/crash-{token}.log"; sleep 300
                """)
            .Save(catalogFile);
        var data = Path.Combine(_folder, "data");
        var runs = Directory.CreateDirectory(Path.Combine(_folder, "runs")).FullName;

        var first = await StartChildAsync(catalogFile, data);
        using (var admin = await SignInAsync(first.BaseAddress))
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
            first.Process.Kill(entireProcessTree: false);
            await first.Process.WaitForExitAsync();
            await SshExecutionApiTests.AssertNoProcessAsync(runTag);
            var left = Directory.GetFileSystemEntries(runs, "*", SearchOption.AllDirectories);
            Assert.True(left.Length == 0, "left behind: " + string.Join(", ", left));

            var second = await StartChildAsync(catalogFile, data);
            using var again = await SignInAsync(second.BaseAddress);
            var status = await AnsibleApiClient.WaitForFinalAsync(again, taskId, TimeSpan.FromSeconds(60));

            Assert.Equal("failed", status.Status());
            Assert.All(status.GetProperty("results").EnumerateArray(), r => Assert.Equal("interrupted", r.GetProperty("status").GetString()));
            Assert.Equal(2, status.GetProperty("failed_count").GetInt32());
            Assert.All(targets, n => Assert.Equal(1, SshdFixture.CountLines(n, $"crash-{token}.log")));
        }
    }

    public void Dispose()
    {
        foreach (var child in _children)
        {
            try
            {
                if (!child.HasExited)
                {
                    child.Kill(entireProcessTree: true);
                    child.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            child.Dispose();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<(Uri BaseAddress, Process Process)> StartChildAsync(string catalogFile, string data)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var url = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            typeof(ChildHost).Assembly.Location, ChildHost.CatalogSwitch, catalogFile,
            $"--Host:Url={url}", $"--Host:DataPath={data}", $"--Auth:BootstrapAdminPassword={Password}", "--Auth:PasswordIterations=10000",
            "--Executions:LeaseDuration=00:00:04", "--Executions:PollInterval=00:00:00.200", "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the child host did not start");
        _children.Add(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(process.HasExited, "the child host exited");
            try
            {
                using var response = await probe.GetAsync(new Uri("/api/v1/features", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return (url, process);
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the child host did not answer");
    }

    private static async Task<HttpClient> SignInAsync(Uri baseAddress)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = Password });
        var body = await login.Content.ReadAsStringAsync();
        Assert.True(login.IsSuccessStatusCode, body);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("token").GetString());
        return client;
    }
}
