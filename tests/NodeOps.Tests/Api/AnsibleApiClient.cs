using System.Net;
using System.Text.Json;
using NodeOps.Tests.Executions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

/// <summary>Starts playbook runs and waits for their statuses, polling with a bounded deadline.</summary>
public static class AnsibleApiClient
{
    public const string Area = "ansible";

    public static async Task<string> RunAsync(HttpClient client, object body)
    {
        var response = await client.PostJsonAsync("/api/v1/automation/ansible/run", body);
        response.AssertStatus(HttpStatusCode.OK);
        return response.Data.GetProperty("task_id").GetString()!;
    }

    public static Task<JsonElement> StatusAsync(HttpClient client, string taskId) => ExecutionApiClient.StatusAsync(client, Area, taskId);

    public static Task<JsonElement> WaitForFinalAsync(HttpClient client, string taskId, TimeSpan? timeout = null) =>
        ExecutionApiClient.WaitForFinalAsync(client, Area, taskId, timeout ?? TimeSpan.FromSeconds(120));

    public static Task<JsonElement> WaitForAsync(HttpClient client, string taskId, Func<JsonElement, bool> condition, TimeSpan timeout, string what) =>
        ExecutionApiClient.WaitForAsync(client, Area, taskId, condition, timeout, what);

    /// <summary>The features API wants every Ansible setting in one body: switched on, runs in <paramref name="tempDir"/>.</summary>
    public static object Settings(string tempDir, int maxConcurrent = 10, int timeout = 3600) => new
    {
        enabled = true,
        binary_path = "/usr/bin/ansible-playbook",
        temp_dir = tempDir,
        timeout,
        max_concurrent = maxConcurrent,
        forks = 10,
    };

    public static string Status(this JsonElement view) => view.GetProperty("status").GetString()!;

    public static Dictionary<string, JsonElement> Results(JsonElement status) => ExecutionApiClient.ResultsByNode(status);
}
