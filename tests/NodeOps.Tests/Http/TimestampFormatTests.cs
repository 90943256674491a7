using System.Globalization;
using System.Net;
using System.Text.Json;
using NodeOps.Auth;
using NodeOps.Json;
using NodeOps.Progress;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Http;

/// <summary>Timestamps on both API surfaces, WebSocket progress events and stored documents are UTC "Z" with at most milliseconds.</summary>
public sealed class TimestampFormatTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Serializer_WritesUtcZ_AtMostMilliseconds_ForEveryDateType()
    {
        var offset = new DateTimeOffset(2025, 10, 29, 16, 0, 0, TimeSpan.FromHours(8)).AddTicks(1234567);
        var whole = new DateTimeOffset(2025, 10, 29, 16, 0, 0, TimeSpan.Zero);
        var value = new
        {
            offset,
            whole,
            nullable = (DateTimeOffset?)offset,
            missing = (DateTimeOffset?)null,
            utc = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(9999999),
            unspecified = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Unspecified),
        };

        using var json = JsonDocument.Parse(NodeOpsJson.Serialize(value));
        var root = json.RootElement;

        Assert.Equal("2025-10-29T08:00:00.123Z", root.GetProperty("offset").GetString());
        Assert.Equal("2025-10-29T16:00:00Z", root.GetProperty("whole").GetString());
        Assert.Equal("2025-10-29T08:00:00.123Z", root.GetProperty("nullable").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("missing").ValueKind);
        Assert.Equal("2025-01-02T03:04:05.999Z", root.GetProperty("utc").GetString());
        Assert.Equal("2025-01-02T03:04:05Z", root.GetProperty("unspecified").GetString());
        Assert.Equal(5, WireTimestamps.AssertAllStrict(root, "serializer"));
    }

    [Fact]
    public void Serializer_ReadsTheOldStoredForm_AndTheNewOne()
    {
        var old = NodeOpsJson.Deserialize<Stamp>("{\"at\":\"2025-10-29T16:00:00.1234567+00:00\"}");
        var current = NodeOpsJson.Deserialize<Stamp>("{\"at\":\"2025-10-29T16:00:00.123Z\"}");

        Assert.Equal(new DateTimeOffset(2025, 10, 29, 16, 0, 0, TimeSpan.Zero).AddTicks(1234567), old.At);
        Assert.Equal(new DateTimeOffset(2025, 10, 29, 16, 0, 0, 123, TimeSpan.Zero), current.At);
    }

    [Fact]
    public void ProgressEvent_AsTheWebSocketSendsIt_HasAStrictTimestamp()
    {
        var progress = new ProgressEvent { TaskId = "ssh-exec-1-a", Type = "progress", Timestamp = DateTimeOffset.Parse("2025-10-29T16:00:00.9876543+02:00", CultureInfo.InvariantCulture) };

        using var json = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(progress, NodeOpsJson.Options));

        Assert.Equal("2025-10-29T14:00:00.987Z", json.RootElement.GetProperty("timestamp").GetString());
    }

    [Fact]
    public async Task RealResponses_OnBothSurfaces_HaveOnlyStrictTimestamps()
    {
        using var admin = await _host.ClientAsync(Role.Admin);
        var created = await admin.PostJsonAsync("/api/v1/users", new { username = "stamp-user", password = "password-stamp-user", role = "viewer" });
        created.AssertStatus(HttpStatusCode.Created);

        var responses = new List<(string Name, ApiResponse Response)>
        {
            ("POST /users", created),
            ("GET /users", await admin.GetApiAsync("/api/v1/users")),
            ("GET /auth/me", await admin.GetApiAsync("/api/v1/auth/me")),
            ("GET /playbooks", await admin.GetApiAsync("/api/v1/automation/ansible/playbooks")),
            ("GET /playbooks/1", await admin.GetApiAsync("/api/v1/automation/ansible/playbooks/1")),
            ("GET /health", await _host.Anonymous.GetApiAsync("/api/v1/health")),
            ("GET /status", await admin.GetApiAsync("/api/v1/status")),
            ("POST /chat (assistant error)", await admin.PostJsonAsync("/api/v1/chat", new { query = "hi" })),
            ("GET /chat/sessions", await admin.GetApiAsync("/api/v1/chat/sessions")),
        };

        var total = 0;
        foreach (var (name, response) in responses)
        {
            Assert.True(response.Json.ValueKind == JsonValueKind.Object, $"{name}: {response.Body}");
            total += WireTimestamps.AssertAllStrict(response.Json, name);
        }

        // created_at/updated_at of the user and the playbooks, and the assistant surface's timestamps at least.
        Assert.True(total >= 10, $"only {total} timestamps found; the test would not notice a wrong form");
    }

    private sealed record Stamp(DateTimeOffset At);
}
