using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using NodeOps.Auth;
using NodeOps.Tests.Assistant;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Http;

/// <summary>/status through the real host: an idle WebSocket or a slow event stream does not become the p99, and 4xx answers are not failures.</summary>
public sealed class StatusMetricsApiTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task IdleWebSocketAndClientErrors_LeaveLatencyAndSuccessRateAlone()
    {
        await using var host = await TestHost.StartAsync();
        using var viewer = await host.ClientAsync(Role.Viewer);
        for (var i = 0; i < 3; i++)
        {
            (await host.Anonymous.GetApiAsync("/api/v1/nothing-here")).AssertStatus(HttpStatusCode.NotFound);
        }

        (await host.Anonymous.GetApiAsync("/api/v1/status")).AssertStatus(HttpStatusCode.Unauthorized);
        using (var socket = new ClientWebSocket())
        {
            await socket.ConnectAsync(new Uri($"ws://{host.BaseAddress.Authority}/api/v1/progress/ws?token={await host.TokenAsync(Role.Viewer)}"), CancellationToken.None);
            await Task.Delay(Idle);
            using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", closing.Token);
        }

        var status = await Eventually.GetAsync(async () =>
        {
            var answer = await viewer.GetApiAsync("/api/v1/status");
            return answer.Json.GetProperty("metrics").GetProperty("long_lived_connections").GetInt64() >= 1 ? answer : null;
        }, TimeSpan.FromSeconds(60), "the closed WebSocket to be counted");

        var metrics = status.Json.GetProperty("metrics");
        var body = status.Body;
        Assert.Equal(1, metrics.GetProperty("long_lived_connections").GetInt64());
        Assert.Equal(0, metrics.GetProperty("requests_error").GetInt64());
        Assert.True(metrics.GetProperty("requests_client_error").GetInt64() >= 4, body);
        Assert.Equal("100.0%", metrics.GetProperty("success_rate").GetString());
        Assert.Equal(metrics.GetProperty("requests_total").GetInt64(),
            metrics.GetProperty("requests_success").GetInt64() + metrics.GetProperty("requests_client_error").GetInt64() + metrics.GetProperty("requests_error").GetInt64());
        Assert.True(Seconds(metrics.GetProperty("p99_response_time").GetString()!) < Idle.TotalSeconds, body);
        Assert.True(Seconds(metrics.GetProperty("avg_response_time").GetString()!) < Idle.TotalSeconds, body);
    }

    [Fact]
    public async Task SlowEventStream_IsCountedApart_NotTimed()
    {
        await using var bed = await AssistantTestBed.StartAsync();
        bed.Llm.Enqueue(FakeLlmResponse.Reply("all nodes are Ready") with { FirstTokenDelay = Idle });
        using var viewer = await bed.Host.ClientAsync(Role.Viewer);

        var (response, frames) = await SseFrames.PostAsync(viewer, "/api/v1/chat/stream", new { query = "nodes?", session_id = "metrics-sse" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(frames[^1].GetProperty("done").GetBoolean());
        var status = await viewer.GetApiAsync("/api/v1/status");
        var metrics = status.Json.GetProperty("metrics");
        Assert.Equal(1, metrics.GetProperty("long_lived_connections").GetInt64());
        Assert.True(Seconds(metrics.GetProperty("p99_response_time").GetString()!) < Idle.TotalSeconds, status.Body);
    }

    /// <summary>"850ms" or "2.5s"; anything longer (minutes) is far beyond the idle time and counts as such.</summary>
    private static double Seconds(string duration) =>
        duration.EndsWith("ms", StringComparison.Ordinal) ? double.Parse(duration[..^2], CultureInfo.InvariantCulture) / 1000
        : duration.EndsWith('s') && !duration.Contains('m', StringComparison.Ordinal) ? double.Parse(duration[..^1], CultureInfo.InvariantCulture)
        : double.MaxValue;
}
