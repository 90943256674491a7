using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using NodeOps.Tests.TestBed;
using static NodeOps.Bench.BenchSupport;

namespace NodeOps.Bench;

/// <summary>
/// A 5-step ssh workflow (each step depends on the one before) on N loopback sshd nodes: NodeOps timed from POST
/// /workflows/execute to the final status (first run of a fresh instance, then warm), against the same five commands
/// run step by step with `xargs -P N ssh`, on the same nodes in the same session. Goal: overhead at most max(10%, 1 s).
/// </summary>
internal static class WorkflowBenchmark
{
    private static readonly string[] Commands = ["uptime", "hostname", "cat /proc/loadavg", "df -P /", "id -un"];

    public static async Task<int> RunAsync(string[] args)
    {
        var count = Option(args, "--nodes", 20);
        var repeat = Option(args, "--repeat", 3);
        Console.WriteLine($"Starting {count} sshd nodes on 127.0.0.x ...");
        await using var sshd = await SshdFixture.StartAsync(count, "wf");
        var work = Directory.CreateTempSubdirectory("nodeops-bench-wf-").FullName;
        try
        {
            var knownHosts = await SshBenchmark.KnownHostsAsync(sshd, work);
            var xargs = new List<double>();
            for (var i = 0; i < repeat; i++)
            {
                xargs.Add(await XargsAsync(sshd, work, knownHosts));
            }

            var cold = new List<double>();
            var warm = new List<double>();
            for (var i = 0; i < repeat; i++)
            {
                // A fresh instance each time: its connection pool starts empty, as xargs's connections do.
                await using var app = await BenchApp.StartAsync(Path.Combine(work, "data" + i), [$"--Executions:LaneSize={count}"], FixtureCatalog.For(sshd, "bench").Register);
                (await app.Client.PutAsJsonAsync("/api/v1/features/automation/ssh", new
                {
                    enabled = true, timeout = 300, max_concurrent = Math.Max(50, count), connection_pool_size = count * 2, idle_timeout = 600, output_limit_bytes = 1024 * 1024,
                })).EnsureSuccessStatusCode();
                var workflowId = await CreateWorkflowAsync(app);
                cold.Add(await RunOnceAsync(app, workflowId, sshd));
                warm.Add(await RunOnceAsync(app, workflowId, sshd));
            }

            Print(count, repeat, Median(xargs), Median(cold), Median(warm));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The five commands one after the other, each on every node at once with `xargs -P N ssh` (new connections).</summary>
    private static async Task<double> XargsAsync(SshdFixture sshd, string work, string knownHosts)
    {
        var targets = await SshBenchmark.TargetsAsync(sshd, work);
        var clock = Stopwatch.StartNew();
        foreach (var command in Commands)
        {
            var (exit, output) = await SshBenchmark.ShellAsync(
                $"xargs -P {sshd.Nodes.Count} -L 1 sh -c '{SshBenchmark.SshCommand(sshd, knownHosts, null)} {command}' < {targets}", new Dictionary<string, string>());
            Check(exit == 0, "xargs " + command, output);
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<long> CreateWorkflowAsync(BenchApp app)
    {
        var steps = Commands.Select((command, i) => (object)(i == 0
            ? new { id = "s0", name = command, type = "ssh", command }
            : new { id = "s" + i, name = command, type = "ssh", command, depends_on = new[] { "s" + (i - 1) } })).ToArray();
        using var created = await app.Client.PostAsJsonAsync("/api/v1/automation/workflows", new { name = "bench-" + Guid.NewGuid().ToString("N")[..8], definition = new { steps } });
        var body = await created.Content.ReadAsStringAsync();
        Check(created.IsSuccessStatusCode, "create workflow", body);
        return JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("id").GetInt64();
    }

    /// <summary>From POST /workflows/execute to a final status read through the API.</summary>
    private static async Task<double> RunOnceAsync(BenchApp app, long workflowId, SshdFixture sshd)
    {
        var clock = Stopwatch.StartNew();
        using var started = await app.Client.PostAsJsonAsync("/api/v1/automation/workflows/execute", new
        {
            workflow_id = workflowId, cluster_name = "bench", target_nodes = sshd.Nodes.Select(n => n.Name).ToArray(), credential_id = FixtureCatalog.KeyCredentialId,
        });
        var body = await started.Content.ReadAsStringAsync();
        Check(started.IsSuccessStatusCode, "NodeOps execute", body);
        var taskId = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("task_id").GetString()!;
        while (true)
        {
            var status = JsonDocument.Parse(await app.Client.GetStringAsync(new Uri($"/api/v1/automation/workflows/status/{taskId}", UriKind.Relative))).RootElement.GetProperty("data");
            var state = status.GetProperty("status").GetString();
            if (state is "completed" or "failed" or "cancelled")
            {
                var seconds = clock.Elapsed.TotalSeconds;
                Check(state == "completed" && status.GetProperty("success_count").GetInt32() == sshd.Nodes.Count, "NodeOps workflow", status.ToString());
                return seconds;
            }

            Check(clock.Elapsed < TimeSpan.FromMinutes(5), "NodeOps workflow", "no final status within 5 minutes: " + status);
            await Task.Delay(20);
        }
    }

    private static void Print(int count, int repeat, double xargs, double cold, double warm)
    {
        Console.WriteLine();
        Console.WriteLine($"5-step ssh workflow on {count} loopback sshd nodes, {Environment.ProcessorCount} CPU cores; medians of {repeat} runs");
        Console.WriteLine();
        Console.WriteLine("| run                                              | seconds | vs xargs |");
        Console.WriteLine("|--------------------------------------------------|--------:|---------:|");
        Console.WriteLine($"| {$"5 x xargs -P {count} ssh (step by step, new connections)",-48} | {xargs,7:0.000} | {1,7:0.00}x |");
        Console.WriteLine($"| {"NodeOps workflow, fresh instance (cold pool)",-48} | {cold,7:0.000} | {cold / xargs,7:0.00}x |");
        Console.WriteLine($"| {"NodeOps workflow, warm pool",-48} | {warm,7:0.000} | {warm / xargs,7:0.00}x |");
        Console.WriteLine();
        var allowed = Math.Max(0.10 * xargs, 1.0);
        Console.WriteLine($"goal: overhead <= max(10%, 1 s) = {allowed:0.000} s: cold {cold - xargs:+0.000;-0.000} s {(cold - xargs <= allowed ? "met" : "NOT met")}, warm {warm - xargs:+0.000;-0.000} s {(warm - xargs <= allowed ? "met" : "NOT met")}");
    }
}
