using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Clusters;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant;

/// <summary>A cluster registry stand-in for tests: kubeconfigs by cluster name, one of them the default.</summary>
internal sealed class StaticKubeconfigSource(IReadOnlyDictionary<string, string> kubeconfigs, string? defaultCluster) : IKubeconfigSource
{
    public Task<string?> GetKubeconfigAsync(string? clusterName, CancellationToken cancellationToken = default) =>
        Task.FromResult(kubeconfigs.TryGetValue(clusterName ?? defaultCluster ?? "", out var found) ? found : null);
}

/// <summary>
/// NodeOps with the assistant pointed at a fake OpenAI-compatible provider ("fake") and a fake cluster ("main",
/// the default) seeded with nodes, pods and events; kubectl is the real binary.
/// </summary>
public sealed class AssistantTestBed : IAsyncDisposable
{
    private readonly string _storeFolder;

    private readonly IReadOnlyDictionary<string, string> _extraKubeconfigs;

    private AssistantTestBed(TestHost host, FakeLlmServer llm, FakeKubeApiServer kube, Dictionary<string, string?> settings, string storeFolder, IReadOnlyDictionary<string, string> extraKubeconfigs)
    {
        _extraKubeconfigs = extraKubeconfigs;
        Host = host;
        Llm = llm;
        Kube = kube;
        Settings = settings;
        _storeFolder = storeFolder;
    }

    public TestHost Host { get; private set; }

    public FakeLlmServer Llm { get; }

    public FakeKubeApiServer Kube { get; }

    public Dictionary<string, string?> Settings { get; }

    /// <param name="kubeconfigs">Further clusters by name, beside "main" (e.g. one whose credentials the API server rejects).</param>
    public static async Task<AssistantTestBed> StartAsync(IReadOnlyDictionary<string, string?>? extra = null, bool withProvider = true, IReadOnlyDictionary<string, string>? kubeconfigs = null)
    {
        kubeconfigs ??= new Dictionary<string, string>();
        var llm = await FakeLlmServer.StartAsync();
        var kube = await FakeKubeApiServer.StartAsync();
        Seed(kube.State);
        // The database lives outside the host's data folder, so a restarted host (new data folder) finds it again.
        var storeFolder = Path.Combine(Path.GetTempPath(), "nodeops-assistant-store-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(storeFolder);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:SqliteFile"] = Path.Combine(storeFolder, "nodeops.db"),
            ["Assistant:LlmRetryBaseDelay"] = "00:00:00.020",
            ["Assistant:LlmTimeout"] = "00:00:20",
        };
        if (withProvider)
        {
            settings["Assistant:DefaultProvider"] = "fake";
            settings["Assistant:Providers:fake:BaseUrl"] = llm.BaseUrl.ToString();
            settings["Assistant:Providers:fake:ApiKey"] = "sk-test-secret-key-123";
            settings["Assistant:Providers:fake:Models:0:Id"] = "fake-model";
            settings["Assistant:Providers:fake:Models:0:Name"] = "Fake Model";
            settings["Assistant:Providers:fake:Models:0:ContextLength"] = "16384";
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var host = await StartHostAsync(settings, kube, kubeconfigs);
        return new AssistantTestBed(host, llm, kube, settings, storeFolder, kubeconfigs);
    }

    public static void Seed(FakeKubeApiServerState state)
    {
        state.AddNamespace("default");
        state.AddNamespace("kube-system");
        state.AddNode("node-1", labels: new Dictionary<string, string> { ["node-role.kubernetes.io/control-plane"] = "" }, internalIp: "10.0.0.11");
        state.AddNode("node-2", internalIp: "10.0.0.12");
        state.AddPod("default", "web-1", "node-2", labels: new Dictionary<string, string> { ["app"] = "web" }, owner: ("ReplicaSet", "web-5d8f"));
        state.AddPod("kube-system", "coredns-1", "node-1", owner: ("ReplicaSet", "coredns-7d9"));
        state.AddEvent("default", "Node", "node-2", "NodeReady", "Node node-2 status is now: NodeReady");
    }

    /// <summary>Stops NodeOps and starts a new one on the same database (the fakes keep running).</summary>
    public async Task RestartAsync()
    {
        await Host.DisposeAsync();
        Host = await StartHostAsync(Settings, Kube, _extraKubeconfigs);
    }

    /// <summary>A client signed in as an existing user (after a restart the test users already exist).</summary>
    public async Task<HttpClient> LoginClientAsync(string username, string password)
    {
        var client = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Host.LoginAsync(username, password));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Llm.DisposeAsync();
        await Kube.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_storeFolder, recursive: true);
        }
        catch (IOException)
        {
            // Still held by a pooled connection; temp is cleaned by the OS.
        }
    }

    private static Task<TestHost> StartHostAsync(Dictionary<string, string?> settings, FakeKubeApiServer kube, IReadOnlyDictionary<string, string> extraKubeconfigs)
    {
        var kubeconfigs = new Dictionary<string, string>(extraKubeconfigs) { ["main"] = kube.Kubeconfig() };
        return TestHost.StartAsync(settings, null, services => services.AddSingleton<IKubeconfigSource>(new StaticKubeconfigSource(kubeconfigs, "main")));
    }
}

/// <summary>Reads an SSE response into its data frames.</summary>
public static class SseFrames
{
    public static async Task<(HttpResponseMessage Response, List<JsonElement> Frames)> PostAsync(HttpClient client, string path, object body, string accept = "text/event-stream")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var frames = new List<JsonElement>();
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            return (response, frames);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                frames.Add(JsonDocument.Parse(line[6..]).RootElement.Clone());
            }
        }

        return (response, frames);
    }

    public static string Type(this JsonElement frame) => frame.TryGetProperty("type", out var t) ? t.GetString()! : "";
}
