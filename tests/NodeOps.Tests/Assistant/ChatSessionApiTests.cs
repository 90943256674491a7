using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant;

/// <summary>Sessions persist in the table store, continue by session_id, and belong to their owner.</summary>
public sealed class ChatSessionApiTests : IAsyncLifetime
{
    private AssistantTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await AssistantTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Session_SurvivesARestart_AndTheModelSeesTheEarlierTurns()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Reply("你好，我记住了：集群叫 alpha。"));
        using (var client = await _bed.Host.ClientAsync(Role.User))
        {
            (await client.PostJsonAsync("/api/v1/chat", new { query = "记住：集群叫 alpha", session_id = "persist-1" })).AssertStatus(HttpStatusCode.OK);
        }

        await _bed.RestartAsync();
        _bed.Llm.Enqueue(FakeLlmResponse.Reply("集群叫 alpha。"));
        using var again = await _bed.LoginClientAsync("test-user", "password-test-user");

        var response = await again.PostJsonAsync("/api/v1/chat", new { query = "集群叫什么？", session_id = "persist-1" });

        response.AssertStatus(HttpStatusCode.OK);
        var messages = _bed.Llm.ChatRequests[^1].Messages.Select(m => (Role: m!["role"]!.GetValue<string>(), Content: m["content"]?.ToString() ?? "")).ToList();
        Assert.Equal("system", messages[0].Role);
        Assert.Equal(("user", "记住：集群叫 alpha"), messages[1]);
        Assert.Equal(("assistant", "你好，我记住了：集群叫 alpha。"), messages[2]);
        Assert.Equal(("user", "集群叫什么？"), messages[3]);
        var session = await again.GetApiAsync("/api/v1/chat/sessions/persist-1");
        Assert.Equal(2, session.Json.GetProperty("turns").GetInt32());
        Assert.Equal(4, session.Json.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task Sessions_AreListedOnlyToTheirOwner_AndCanBeDeleted()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Reply("a"), FakeLlmResponse.Reply("b"));
        using var user = await _bed.Host.ClientAsync(Role.User);
        using var viewer = await _bed.Host.ClientAsync(Role.Viewer);
        (await user.PostJsonAsync("/api/v1/chat", new { query = "first", session_id = "mine-1" })).AssertStatus(HttpStatusCode.OK);
        (await viewer.PostJsonAsync("/api/v1/chat", new { query = "other", session_id = "theirs-1" })).AssertStatus(HttpStatusCode.OK);

        var mine = await user.GetApiAsync("/api/v1/chat/sessions");
        var peek = await viewer.GetApiAsync("/api/v1/chat/sessions/mine-1");
        var stealDelete = await viewer.DeleteApiAsync("/api/v1/chat/sessions/mine-1");

        Assert.Equal(["mine-1"], mine.Json.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("session_id").GetString()));
        Assert.Equal("first", mine.Json.GetProperty("sessions")[0].GetProperty("title").GetString());
        AssistantErrors.Assert(peek, HttpStatusCode.NotFound, "SESSION_NOT_FOUND");
        AssistantErrors.Assert(stealDelete, HttpStatusCode.NotFound, "SESSION_NOT_FOUND");

        var deleted = await user.DeleteApiAsync("/api/v1/chat/sessions/mine-1");

        deleted.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(0, (await user.GetApiAsync("/api/v1/chat/sessions")).Json.GetProperty("total").GetInt32());
        Assert.Equal(1, (await viewer.GetApiAsync("/api/v1/chat/sessions")).Json.GetProperty("total").GetInt32());
        AssistantErrors.Assert(await user.DeleteApiAsync("/api/v1/chat/sessions/mine-1"), HttpStatusCode.NotFound, "SESSION_NOT_FOUND");
    }

    [Fact]
    public async Task SameSessionIdOfAnotherUser_IsAnotherConversation()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Reply("secret plan"), FakeLlmResponse.Reply("fresh"));
        using var user = await _bed.Host.ClientAsync(Role.User);
        using var viewer = await _bed.Host.ClientAsync(Role.Viewer);
        (await user.PostJsonAsync("/api/v1/chat", new { query = "my secret", session_id = "shared-name" })).AssertStatus(HttpStatusCode.OK);

        (await viewer.PostJsonAsync("/api/v1/chat", new { query = "what was said?", session_id = "shared-name" })).AssertStatus(HttpStatusCode.OK);

        var seen = _bed.Llm.ChatRequests[^1].Messages.Select(m => m!["content"]?.ToString() ?? "").ToList();
        Assert.DoesNotContain(seen, c => c.Contains("my secret", StringComparison.Ordinal) || c.Contains("secret plan", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeleteAll_RemovesOnlyTheCallersSessions()
    {
        _bed.Llm.Enqueue(FakeLlmResponse.Reply("1"), FakeLlmResponse.Reply("2"), FakeLlmResponse.Reply("3"));
        using var user = await _bed.Host.ClientAsync(Role.User);
        using var viewer = await _bed.Host.ClientAsync(Role.Viewer);
        await user.PostJsonAsync("/api/v1/chat", new { query = "a", session_id = "u-a" });
        await user.PostJsonAsync("/api/v1/chat", new { query = "b", session_id = "u-b" });
        await viewer.PostJsonAsync("/api/v1/chat", new { query = "c", session_id = "v-c" });

        var deleted = await user.DeleteApiAsync("/api/v1/chat/sessions");

        Assert.Equal(2, deleted.Json.GetProperty("deleted").GetInt32());
        Assert.Equal(1, (await viewer.GetApiAsync("/api/v1/chat/sessions")).Json.GetProperty("total").GetInt32());
    }
}
