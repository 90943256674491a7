using System.Diagnostics;
using System.Net;
using System.Text.Json;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

/// <summary>Calls the execution endpoints and waits for final statuses, polling with a bounded deadline.</summary>
public static class ExecutionApiClient
{
    public static readonly string[] FinalStatuses = ["completed", "failed", "cancelled"];

    public static async Task<string> StartAsync(HttpClient client, string area, object body)
    {
        var response = await client.PostJsonAsync($"/api/v1/automation/{area}/execute", body);
        response.AssertStatus(HttpStatusCode.OK);
        return response.Data.GetProperty("task_id").GetString()!;
    }

    public static async Task<JsonElement> StatusAsync(HttpClient client, string area, string taskId)
    {
        var response = await client.GetApiAsync($"/api/v1/automation/{area}/status/{taskId}");
        response.AssertStatus(HttpStatusCode.OK);
        return response.Data;
    }

    public static async Task<JsonElement> WaitForFinalAsync(HttpClient client, string area, string taskId, TimeSpan? timeout = null)
    {
        return await WaitForAsync(client, area, taskId, s => FinalStatuses.Contains(s.GetProperty("status").GetString()), timeout ?? TimeSpan.FromSeconds(60), "a final status");
    }

    public static async Task<JsonElement> WaitForAsync(HttpClient client, string area, string taskId, Func<JsonElement, bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        JsonElement last = default;
        for (var attempt = 0; attempt < 10_000 && clock.Elapsed < timeout; attempt++)
        {
            last = await StatusAsync(client, area, taskId);
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{taskId} did not reach {what} within {timeout}; last status: {last}");
    }

    public static Dictionary<string, JsonElement> ResultsByNode(JsonElement status) =>
        status.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("node").GetString()!, r => r);
}
