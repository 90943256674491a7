using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Auth;
using NodeOps.Orchestration;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

/// <summary>
/// The execution row is written before its orchestration is scheduled; when scheduling fails the row must not stay
/// pending forever: the request answers 503 naming the task, and the task is failed with its nodes skipped.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed partial class StartFailureTests(SshNodes nodes) : IAsyncLifetime
{
    private TestHost _host = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        var catalog = FixtureCatalog.For(nodes.Sshd);
        _host = await TestHost.StartAsync(configureServices: services =>
        {
            catalog.Register(services);
            // Registered last, so the engine's front door gets the client whose start fails.
            services.AddSingleton<IOrchestrationClient>(sp => new StartFails(sp.GetRequiredService<OrchestrationRuntime>().Client));
        });
        _user = await _host.ClientAsync(Role.User);
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Execute_WhenTheOrchestrationCannotStart_Answers503AndTheTaskEndsFailedWithNodesSkipped()
    {
        var token = Guid.NewGuid().ToString("N")[..10];
        var response = await _user.PostJsonAsync("/api/v1/automation/ssh/execute", new
        {
            cluster_name = "test",
            target_nodes = new[] { "node1", "node2" },
            credential_id = 1,
            command = $"echo run >> \"$NODEOPS_NODE_DIR/unstarted-{token}.log\"",
        });

        response.AssertError(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("ENGINE_UNAVAILABLE", response.Json.GetProperty("error_code").GetString());
        var taskId = TaskIdPattern().Match(response.Json.GetProperty("error").GetString()!).Value;
        Assert.StartsWith("ssh-exec-", taskId, StringComparison.Ordinal);

        var status = await ExecutionApiClient.StatusAsync(_user, "ssh", taskId);
        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(status.GetProperty("error").GetString()), status.ToString());
        Assert.All(status.GetProperty("results").EnumerateArray(), r => Assert.Equal("skipped", r.GetProperty("status").GetString()));
        Assert.Equal(2, status.GetProperty("counts").GetProperty("skipped").GetInt32());
        Assert.Null(await _host.GetRequiredService<OrchestrationRuntime>().Client.GetAsync(taskId, CancellationToken.None));
        Assert.All(nodes.Sshd.Nodes.Take(2), node => Assert.Equal(0, SshdFixture.CountLines(node, $"unstarted-{token}.log")));
    }

    [GeneratedRegex("ssh-exec-[0-9]+-[a-z0-9]+")]
    private static partial Regex TaskIdPattern();

    /// <summary>The real client, except that scheduling an orchestration fails as a lost backend would.</summary>
    private sealed class StartFails(IOrchestrationClient inner) : IOrchestrationClient
    {
        public Task<string> StartAsync(string orchestratorName, object? input, string? instanceId, CancellationToken cancellationToken) =>
            throw new IOException("the orchestration store is unreachable");

        public Task<OrchestrationInstanceState?> GetAsync(string instanceId, CancellationToken cancellationToken) => inner.GetAsync(instanceId, cancellationToken);

        public Task<OrchestrationInstancePage> QueryAsync(OrchestrationInstanceFilter filter, CancellationToken cancellationToken) => inner.QueryAsync(filter, cancellationToken);

        public Task RaiseEventAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken) => inner.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);

        public Task TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken) => inner.TerminateAsync(instanceId, reason, cancellationToken);

        public Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken) => inner.PurgeAsync(instanceId, cancellationToken);

        public Task<OrchestrationInstanceState?> WaitForCompletionAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken) =>
            inner.WaitForCompletionAsync(instanceId, timeout, cancellationToken);
    }
}
