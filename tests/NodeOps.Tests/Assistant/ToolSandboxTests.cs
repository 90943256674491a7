using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant;

/// <summary>
/// The assistant's kubectl and bash run in the sandbox: asked by the model to read the data folder's keys or the
/// server's environment, they find nothing of it. The tool results the model receives are compared with the real key bytes.
/// </summary>
public sealed class ToolSandboxTests : IAsyncLifetime
{
    private const string CanaryVariable = "Auth__SandboxCanary";
    private static readonly string Canary = "canary-" + Guid.NewGuid().ToString("N");
    private AssistantTestBed _bed = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(CanaryVariable, Canary);
        _bed = await AssistantTestBed.StartAsync(new Dictionary<string, string?>
        {
            ["Assistant:AllowWrites"] = "true",
            ["Assistant:Tools:BashEnabled"] = "true",
        });
        // The master key is made on first use; make it now, so there is a real key to look for in the outputs.
        _ = _bed.Host.GetRequiredService<NodeOps.Secrets.ISecretProtector>();
        // And the token-signing key, made at the first sign-in.
        (await _bed.Host.ClientAsync(Role.Viewer)).Dispose();
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Kubectl_ManifestFromTheDataFolder_IsRefusedByThePolicy()
    {
        var key = Path.Combine(_bed.Host.DataPath, "master.key");
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl($"kubectl get -f {key}", "call_manifest"), FakeLlmResponse.Reply("没有读到。"));
        using var client = await _bed.Host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", new { query = "read the key", session_id = "sandbox-kubectl" });

        response.AssertStatus(HttpStatusCode.OK);
        var manifest = ToolResult("call_manifest");
        Assert.StartsWith("REFUSED", manifest, StringComparison.Ordinal);
        AssertNoSecrets(manifest);
    }

    [Fact]
    public async Task Kubectl_KubeconfigExecPlugin_RunsInTheSandbox()
    {
        // A cluster's kubeconfig may name a credential plugin that kubectl runs: it runs in the sandbox too.
        var data = _bed.Host.DataPath;
        var kubeconfig = $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: main
              cluster:
                server: https://127.0.0.1:1
            contexts:
            - name: main
              context: {cluster: main, user: plugin}
            current-context: main
            users:
            - name: plugin
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: /bin/sh
                  args: ["-c", "id >&2; echo pid1=$(cat /proc/1/comm) >&2; cat {{data}}/master.key {{data}}/token-signing.key >&2; env >&2; exit 1"]
                  interactiveMode: Never
            """;
        var settings = _bed.Settings.Where(s => s.Key != "Storage:SqliteFile").ToDictionary(s => s.Key, s => s.Value);
        await using var host = await TestHost.StartAsync(settings, null, services => services.AddSingleton<NodeOps.Clusters.IKubeconfigSource>(
            new StaticKubeconfigSource(new Dictionary<string, string> { ["main"] = kubeconfig }, "main")));
        _bed.Llm.Enqueue(FakeLlmResponse.Kubectl("kubectl get nodes", "call_plugin"), FakeLlmResponse.Reply("失败了。"));
        using var client = await host.ClientAsync(Role.Viewer);

        var response = await client.PostJsonAsync("/api/v1/chat", new { query = "list nodes", session_id = "sandbox-plugin" });

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.Status);
        var result = ToolResult("call_plugin");
        foreach (var expected in new[] { "uid=65534", "pid1=bwrap", "No such file" })
        {
            Assert.True(result.Contains(expected, StringComparison.Ordinal), $"'{expected}' not in: {result}");
        }

        AssertNoSecrets(result);
    }

    [Fact]
    public async Task Bash_CatOfKeysAndEnv_SeesOnlyTheSandbox()
    {
        var data = _bed.Host.DataPath;
        var command = $"cat {data}/master.key {data}/token-signing.key 2>&1; env; id; echo pid1=$(cat /proc/1/comm); ls $(dirname $KUBECONFIG)";
        _bed.Llm.Enqueue(FakeLlmResponse.Call("bash", new { command }, "call_bash"), FakeLlmResponse.Reply("完成。"));
        using var client = await _bed.Host.ClientAsync(Role.User);
        var (_, frames) = await SseFrames.PostAsync(client, "/api/v1/chat/stream", new { query = "steal", session_id = "sandbox-bash" });
        var actionId = frames.Single(f => f.Type() == "approval_required").GetProperty("action_id").GetString()!;

        var approved = await client.PostJsonAsync("/api/v1/chat/approve", new { session_id = "sandbox-bash", action_id = actionId, decision = "approve" });

        approved.AssertStatus(HttpStatusCode.OK);
        var result = ToolResult("call_bash");
        foreach (var expected in new[] { "uid=65534", "pid1=bwrap", "kubeconfig", "No such file" })
        {
            Assert.True(result.Contains(expected, StringComparison.Ordinal), $"'{expected}' not in: {result}");
        }
        AssertNoSecrets(result);
    }

    private string ToolResult(string callId) =>
        // Later requests repeat the conversation, so the first one that carries the result is enough.
        _bed.Llm.ChatRequests.SelectMany(r => r.Messages)
            .First(m => m!["role"]!.GetValue<string>() == "tool" && m["tool_call_id"]!.GetValue<string>() == callId)!["content"]!.GetValue<string>();

    private void AssertNoSecrets(string text) => DataFolderSecrets.AssertAbsent(text, _bed.Host.DataPath, Canary, "sk-test-secret-key-123");
}
