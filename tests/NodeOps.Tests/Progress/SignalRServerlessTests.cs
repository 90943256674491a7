using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using NodeOps.Auth;
using NodeOps.Tests.Executions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Progress;

/// <summary>
/// Serverless mode (SignalR:Mode=Serverless) against a loopback fake of Azure SignalR Service's REST API: negotiate
/// hands out the service URL and a client token for the NodeOps user; the upstream Subscribe/Unsubscribe calls
/// change the task's group after the WebSocket's check; the publisher sends an SSH execution's events on real sshd
/// nodes to the group, retrying a busy service. Every REST call the fake saw had the right path, version and audience.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class SignalRServerlessTests(SshNodes nodes) : IAsyncLifetime
{
    private FakeSignalRService _service = null!;
    private TestHost _host = null!;
    private HttpClient _user = null!;

    private Uri Upstream => new(_host.BaseAddress, "api/v1/hubs/progress/upstream");

    public async Task InitializeAsync()
    {
        _service = await FakeSignalRService.StartAsync();
        _host = await TestHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["SignalR:Mode"] = "Serverless",
                ["SignalR:ConnectionString"] = _service.ConnectionString,
                ["SignalR:RetryDelay"] = "00:00:00.050",
            },
            configureServices: FixtureCatalog.For(nodes.Sshd).Register);
        _user = await _host.ClientAsync(Role.User);
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _host.DisposeAsync();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task Negotiate_WithoutAToken_Is401_WithOne_RedirectsToTheServiceAsTheNodeOpsUser()
    {
        using var anonymous = await _host.Anonymous.PostAsync("/api/v1/hubs/progress/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var connectionId = await ConnectViewerAsync();

        var viewer = await _host.GetRequiredService<UserService>().FindByNameAsync("test-viewer");
        Assert.Equal(viewer!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), _service.UserOf(connectionId));
        var (status, completion) = await _service.InvokeAsync(Upstream, connectionId, "Subscribe", "ssh-exec-1-missing");
        Assert.Equal(200, status);
        // The fake sent the user id from the client token's nameid: the upstream check found the viewer by it.
        Assert.Equal("任务 ssh-exec-1-missing 不存在", completion!.Value.GetProperty("error").GetString());

        // A viewer API key passes the same check; once revoked, its connection may subscribe to nothing.
        var keys = _host.GetRequiredService<ApiKeyService>();
        var (key, secret) = await keys.CreateAsync("watcher", Role.Viewer, new Actor(1, "admin", Role.Admin));
        var keyConnection = await ConnectAsync(headers => headers.Add("X-API-Key", secret));
        Assert.Equal("apikey:" + key.Id, _service.UserOf(keyConnection));
        var (_, allowed) = await _service.InvokeAsync(Upstream, keyConnection, "Subscribe", "ssh-exec-1-missing");
        Assert.Equal("任务 ssh-exec-1-missing 不存在", allowed!.Value.GetProperty("error").GetString());
        await keys.RevokeAsync(key.Id);
        var (_, revoked) = await _service.InvokeAsync(Upstream, keyConnection, "Subscribe", "ssh-exec-1-missing");
        Assert.Equal("权限不足", revoked!.Value.GetProperty("error").GetString());
        Assert.Empty(_service.Rejections);
    }

    [Fact]
    public async Task Upstream_SubscribeAndUnsubscribe_ChangeTheTasksGroup_AndABadSignatureChangesNothing()
    {
        var taskId = await ExecutionApiClient.StartAsync(_user, "ssh", new { cluster_name = "test", target_nodes = new[] { "node6" }, credential_id = 1, command = "sleep 3" });
        var connectionId = await ConnectViewerAsync();
        var group = "task_" + taskId;

        var (forged, _) = await _service.InvokeAsync(Upstream, connectionId, "Subscribe", taskId, signature: "sha256=" + new string('0', 64));
        Assert.Equal(401, forged);
        Assert.Empty(_service.GroupMembers(group));

        var (status, completion) = await _service.InvokeAsync(Upstream, connectionId, "Subscribe", taskId);
        Assert.Equal(200, status);
        Assert.Equal(JsonValueKind.Null, completion!.Value.GetProperty("result").ValueKind);
        Assert.Equal([connectionId], _service.GroupMembers(group));
        var snapshot = _service.Inbox(connectionId)[0];
        Assert.Equal("progress", snapshot.Target);
        Assert.Equal("snapshot", snapshot.Argument.GetProperty("type").GetString());
        Assert.Equal(taskId, snapshot.Argument.GetProperty("task_id").GetString());

        await _service.InvokeAsync(Upstream, connectionId, "Unsubscribe", taskId);
        Assert.Empty(_service.GroupMembers(group));

        // A finished task: its snapshot and completion go straight to the connection, which joins no group.
        await ExecutionApiClient.WaitForFinalAsync(_user, "ssh", taskId);
        var late = await ConnectViewerAsync();
        await _service.InvokeAsync(Upstream, late, "Subscribe", taskId);
        var inbox = _service.Inbox(late);
        Assert.Equal(["snapshot", "complete"], inbox.Select(m => m.Argument.GetProperty("type").GetString()!).ToArray());
        Assert.Equal("completed", inbox[1].Argument.GetProperty("data").GetProperty("status").GetString());
        Assert.Empty(_service.GroupMembers(group));
        Assert.Contains($"PUT /api/hubs/progress/groups/{group}/connections/{connectionId}", _service.Requests);
        Assert.Contains($"DELETE /api/hubs/progress/groups/{group}/connections/{connectionId}", _service.Requests);
        Assert.Empty(_service.Rejections);
    }

    [Fact]
    public async Task Publisher_SendsAnSshExecutionsEventsToTheGroup_InOrder_ThroughABusyService()
    {
        var taskId = await ExecutionApiClient.StartAsync(_user, "ssh", new
        {
            cluster_name = "test",
            target_nodes = new[] { "node7", "node8", "node9" },
            credential_id = 1,
            command = "sleep 2; echo done",
            max_concurrent = 1,
        });
        var connectionId = await ConnectViewerAsync();
        var (_, subscribed) = await _service.InvokeAsync(Upstream, connectionId, "Subscribe", taskId);
        Assert.Equal(JsonValueKind.Null, subscribed!.Value.GetProperty("result").ValueKind);
        // The next sends meet a busy service; the publisher retries them.
        _service.FailNext(2);

        var inbox = await Eventually.GetAsync(
            () => Task.FromResult(_service.Inbox(connectionId) is var messages && messages.Any(m => m.Argument.GetProperty("type").GetString() == "complete") ? messages : null),
            TimeSpan.FromSeconds(90), "the complete event at the client");

        var types = inbox.Select(m => m.Argument.GetProperty("type").GetString()).ToList();
        Assert.Equal("snapshot", types[0]);
        Assert.Equal("complete", types[^1]);
        var complete = inbox[^1].Argument;
        Assert.Equal(taskId, complete.GetProperty("task_id").GetString());
        Assert.Equal(3, complete.GetProperty("current").GetInt32());
        Assert.Equal("completed", complete.GetProperty("data").GetProperty("status").GetString());
        Assert.Contains(inbox, m => m.Argument.GetProperty("type").GetString() == "progress");
        Assert.Contains($"POST /api/hubs/progress/groups/task_{taskId}/:send", _service.Requests);
        Assert.Equal(2, _service.BusyAnswers);
        Assert.Empty(_service.Rejections);
    }

    /// <summary>Negotiates as the viewer, as a SignalR client does, and connects to the fake service with the answer.</summary>
    private async Task<string> ConnectViewerAsync()
    {
        var token = await _host.TokenAsync(Role.Viewer);
        return await ConnectAsync(headers => headers.Authorization = new AuthenticationHeaderValue("Bearer", token));
    }

    private async Task<string> ConnectAsync(Action<HttpRequestHeaders> signIn)
    {
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/api/v1/hubs/progress/negotiate?negotiateVersion=1");
        signIn(negotiate.Headers);

        using var response = await _host.Anonymous.SendAsync(negotiate);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return await _service.ConnectAsync(body.GetProperty("url").GetString()!, body.GetProperty("accessToken").GetString()!);
    }
}
