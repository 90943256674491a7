using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Schedules;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Schedules;

/// <summary>Schedules through the API, and the evaluator on a clock the test moves.</summary>
public static class ScheduleTestKit
{
    public const string SchedulesPath = "/api/v1/automation/schedules";

    /// <summary>Host settings for tests that evaluate by hand: the host's own scheduler stays off.</summary>
    public static readonly IReadOnlyDictionary<string, string?> ManualSettings = new Dictionary<string, string?> { ["Schedules:SchedulerEnabled"] = "false" };

    /// <summary>The host's evaluator, but reading <paramref name="clock"/> (everything else in the host keeps real time).</summary>
    internal static ScheduleEvaluator Evaluator(TestHost host, TimeProvider clock) =>
        ActivatorUtilities.CreateInstance<ScheduleEvaluator>(host.Services, clock, ActivatorUtilities.CreateInstance<ScheduleFirer>(host.Services, clock));

    /// <summary>A clock at real now: schedules saved now start counting due times from it.</summary>
    public static ManualTimeProvider ClockAtNow() => new(DateTimeOffset.UtcNow);

    /// <summary>Moves the clock to <paramref name="seconds"/> past the next whole minute.</summary>
    public static DateTimeOffset AdvanceToNextMinute(ManualTimeProvider clock, int seconds = 1)
    {
        var now = clock.GetUtcNow();
        var next = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1);
        clock.Advance(next.AddSeconds(seconds) - now);
        return next;
    }

    public static async Task<JsonElement> CreateAsync(HttpClient admin, object body)
    {
        var response = await admin.PostJsonAsync(SchedulesPath, body);
        response.AssertStatus(HttpStatusCode.Created);
        return response.Data;
    }

    public static async Task<List<JsonElement>> RunsAsync(HttpClient client, long id)
    {
        var response = await client.GetApiAsync($"{SchedulesPath}/{id}/runs?page_size=100");
        response.AssertStatus(HttpStatusCode.OK);
        return response.Data.GetProperty("runs").EnumerateArray().ToList();
    }

    public static string Status(JsonElement run) => run.GetProperty("status").GetString()!;
}
