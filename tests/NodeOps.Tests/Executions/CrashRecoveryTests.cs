using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

/// <summary>
/// Kills the OS process that runs the dispatcher in the middle of an execution, starts a new one on the same data
/// folder, and checks the engine's promise: no node ran twice, nodes that were running are interrupted, nodes that
/// never started ran, and the final counts add up.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class CrashRecoveryTests(SshNodes nodes) : IDisposable
{
    private const string Password = "crash-test-admin-password";
    private readonly string _folder = Directory.CreateTempSubdirectory("nodeops-crash-").FullName;
    private readonly List<Process> _children = [];

    [Fact]
    public async Task KilledDispatcherProcess_NewInstanceResumes_NoNodeRunsTwiceAndCountsAddUp()
    {
        var token = Guid.NewGuid().ToString("N")[..10];
        var targets = nodes.Sshd.Nodes.Take(20).ToList();
        var catalogFile = Path.Combine(_folder, "catalog.json");
        FixtureCatalog.For(nodes.Sshd).Save(catalogFile);
        var data = Path.Combine(_folder, "data");

        var first = await StartChildAsync(catalogFile, data);
        using var client = await SignInAsync(first);
        var taskId = await ExecutionApiClient.StartAsync(client, "ssh", new
        {
            cluster_name = "test",
            target_nodes = targets.Select(n => n.Name).ToArray(),
            credential_id = 1,
            command = $"echo run >> \"$NODEOPS_NODE_DIR/crash-{token}.log\"; sleep 3",
            max_concurrent = 4,
            timeout = 60,
        });
        await ExecutionApiClient.WaitForAsync(client, "ssh", taskId,
            s => s.GetProperty("counts").GetProperty("success").GetInt32() >= 4 && s.GetProperty("counts").GetProperty("running").GetInt32() >= 1,
            TimeSpan.FromSeconds(60), "some nodes done and some running");

        Kill(first.Process);
        var second = await StartChildAsync(catalogFile, data);
        using var again = await SignInAsync(second);
        var status = await ExecutionApiClient.WaitForFinalAsync(again, "ssh", taskId, TimeSpan.FromSeconds(90));

        var results = ExecutionApiClient.ResultsByNode(status);
        var counts = status.GetProperty("counts");
        var success = results.Values.Count(r => r.GetProperty("status").GetString() == "success");
        var interrupted = results.Values.Count(r => r.GetProperty("status").GetString() == "interrupted");
        Assert.Equal(20, results.Count);
        Assert.Equal(20, success + interrupted);
        Assert.True(interrupted >= 1, status.ToString());
        Assert.True(success >= 4 + 1, status.ToString());
        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal(success, counts.GetProperty("success").GetInt32());
        Assert.Equal(interrupted, counts.GetProperty("interrupted").GetInt32());
        Assert.Equal(0, counts.GetProperty("pending").GetInt32() + counts.GetProperty("running").GetInt32());
        foreach (var node in targets)
        {
            var runs = SshdFixture.CountLines(node, $"crash-{token}.log");
            var nodeStatus = results[node.Name].GetProperty("status").GetString();
            Assert.True(runs <= 1, $"{node.Name} ran {runs} times");
            if (nodeStatus == "success")
            {
                Assert.Equal(1, runs);
            }
        }
    }

    public void Dispose()
    {
        foreach (var child in _children)
        {
            Kill(child);
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
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
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
            Assert.False(process.HasExited, $"the child host exited with {(process.HasExited ? process.ExitCode : 0)}");
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

    private static async Task<HttpClient> SignInAsync((Uri BaseAddress, Process Process) child)
    {
        var client = new HttpClient { BaseAddress = child.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = Password });
        var body = await login.Content.ReadAsStringAsync();
        Assert.True(login.IsSuccessStatusCode, body);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("token").GetString());
        return client;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
