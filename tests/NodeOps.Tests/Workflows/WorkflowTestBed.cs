using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodeOps.Auth;
using NodeOps.Clusters;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Workflows;

/// <summary>
/// NodeOps with the fixture's sshd nodes as cluster "test" (and "nokube", a cluster without a kubeconfig), and a fake
/// Kubernetes API server holding a node for every sshd node. Polls and retries are short so runs end quickly.
/// </summary>
public sealed class WorkflowTestBed : IAsyncDisposable
{
    public const string Path = "/api/v1/automation/workflows";

    private WorkflowTestBed(TestHost host, FakeKubeApiServer kube, FixtureCatalog catalog)
    {
        Host = host;
        Kube = kube;
        Catalog = catalog;
    }

    public TestHost Host { get; }

    public FakeKubeApiServer Kube { get; }

    public FixtureCatalog Catalog { get; }

    public HttpClient User { get; private set; } = null!;

    public static async Task<WorkflowTestBed> StartAsync(SshdFixture sshd, IReadOnlyDictionary<string, string?>? settings = null, string? dataPath = null)
    {
        ArgumentNullException.ThrowIfNull(sshd);
        var kube = await FakeKubeApiServer.StartAsync();
        kube.State.AddNamespace("default");
        kube.State.AddNamespace("kube-system");
        foreach (var node in sshd.Nodes)
        {
            kube.State.AddNode(node.Name, internalIp: node.Address);
        }

        var catalog = FixtureCatalog.For(sshd);
        catalog.AddCluster("nokube", sshd.Nodes);
        catalog.AddPlaybook(PlaybookId, "stand-in upgrade", "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: upgrade stand-in\n      ansible.builtin.command: echo upgraded {{ inventory_hostname }}\n");
        var kubeconfigs = new KubeconfigSource(new Dictionary<string, string> { ["test"] = kube.Kubeconfig() });
        var all = new Dictionary<string, string?>
        {
            ["Workflows:NodePollInterval"] = "00:00:00.200",
            ["Workflows:DrainRetryDelay"] = "00:00:00.300",
            ["Workflows:DrainPollInterval"] = "00:00:00.200",
            ["Workflows:ProgressInterval"] = "00:00:00",
            ["Executions:CancelPollInterval"] = "00:00:00.250",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = await TestHost.StartAsync(all, dataPath, services =>
        {
            catalog.Register(services);
            services.RemoveAll<IKubeconfigSource>();
            services.AddSingleton<IKubeconfigSource>(kubeconfigs);
        });
        var bed = new WorkflowTestBed(host, kube, catalog);
        bed.User = await host.ClientAsync(Role.User);
        return bed;
    }

    public const long PlaybookId = 501;

    public async ValueTask DisposeAsync()
    {
        User.Dispose();
        await Host.DisposeAsync();
        await Kube.DisposeAsync();
    }

    /// <summary>Saves a workflow through the catalog API; returns its id.</summary>
    public async Task<long> CreateWorkflowAsync(object definition, string? name = null)
    {
        var created = (await User.PostJsonAsync(Path, new { name = name ?? "wf-" + Guid.NewGuid().ToString("N")[..8], definition }))
            .AssertStatus(HttpStatusCode.Created);
        return created.Data.GetProperty("id").GetInt64();
    }

    public async Task<string> ExecuteAsync(long workflowId, IEnumerable<string> nodes, object? parameters = null, HttpClient? client = null)
    {
        var response = (await (client ?? User).PostJsonAsync(Path + "/execute", new
        {
            workflow_id = workflowId,
            cluster_name = "test",
            target_nodes = nodes.ToArray(),
            credential_id = FixtureCatalog.KeyCredentialId,
            parameters = parameters ?? new Dictionary<string, string>(),
        })).AssertStatus(HttpStatusCode.OK);
        return response.Data.GetProperty("task_id").GetString()!;
    }

    public Task<JsonElement> StatusAsync(string taskId) => StatusAsync(User, taskId);

    public static async Task<JsonElement> StatusAsync(HttpClient client, string taskId) =>
        (await client.GetApiAsync($"{Path}/status/{taskId}")).AssertStatus(HttpStatusCode.OK).Data;

    public Task<JsonElement> WaitFinalAsync(string taskId, TimeSpan? timeout = null) =>
        WaitForAsync(taskId, s => s.GetProperty("status").GetString() is "completed" or "failed" or "cancelled", timeout ?? TimeSpan.FromSeconds(90), "a final status");

    public Task<JsonElement> WaitForAsync(string taskId, Func<JsonElement, bool> condition, TimeSpan timeout, string what) =>
        WaitForAsync(User, taskId, condition, timeout, what);

    /// <summary>Polls the run's status until the condition holds, with a bounded deadline.</summary>
    public static async Task<JsonElement> WaitForAsync(HttpClient client, string taskId, Func<JsonElement, bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        JsonElement last = default;
        while (clock.Elapsed < timeout)
        {
            last = await StatusAsync(client, taskId);
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{taskId} did not reach {what} within {timeout}; last status: {last}");
    }

    public static JsonElement Step(JsonElement status, string id) =>
        status.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);

    /// <summary>The step's per-node results by node name.</summary>
    public static Dictionary<string, JsonElement> StepNodes(JsonElement status, string id) =>
        Step(status, id).GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("node").GetString()!, n => n);

    public static string? NodeStatus(JsonElement status, string step, string node) =>
        StepNodes(status, step).TryGetValue(node, out var row) ? row.GetProperty("status").GetString() : null;

    private sealed class KubeconfigSource(Dictionary<string, string> kubeconfigs) : IKubeconfigSource
    {
        public Task<string?> GetKubeconfigAsync(string? clusterName, CancellationToken cancellationToken = default) =>
            Task.FromResult(kubeconfigs.GetValueOrDefault(clusterName ?? "test"));
    }
}
