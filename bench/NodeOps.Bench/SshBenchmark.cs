using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Functions.Hosting;
using NodeOps.Tests.TestBed;
using static NodeOps.Bench.BenchSupport;

namespace NodeOps.Bench;

/// <summary>
/// `uptime` on N loopback sshd nodes: NodeOps timed from POST /ssh/execute to the final status (first run with a
/// cold connection pool, then with warm connections), against `xargs -P N ssh ...` and
/// `ansible all -f N -m command -a uptime` on the same nodes in the same session.
/// </summary>
internal static class SshBenchmark
{

    public static async Task<int> RunAsync(string[] args)
    {
        var count = Option(args, "--nodes", 50);
        var repeat = Option(args, "--repeat", 3);
        Console.WriteLine($"Starting {count} sshd nodes on 127.0.0.x ...");
        await using var sshd = await SshdFixture.StartAsync(count);
        var work = Directory.CreateTempSubdirectory("nodeops-bench-").FullName;
        try
        {
            var knownHosts = Path.Combine(work, "known_hosts");
            await File.WriteAllLinesAsync(knownHosts, sshd.Nodes.Select(n =>
                $"[{n.Address}]:{n.Port} {string.Join(' ', File.ReadAllText(n.HostKeyPath + ".pub").Split(' ').Take(2))}"));

            var xargs = new List<double>();
            for (var i = 0; i < repeat; i++)
            {
                xargs.Add(await XargsAsync(sshd, work, knownHosts));
            }

            var ansible = new List<double>();
            for (var i = 0; i < Math.Max(1, repeat - 1); i++)
            {
                ansible.Add(await AnsibleAsync(sshd, work, knownHosts));
            }

            var cold = new List<double>();
            var warm = new List<double>();
            var data = Path.Combine(work, "data");
            for (var i = 0; i < repeat; i++)
            {
                // A fresh instance each time: its connection pool starts empty.
                var (coldRun, warmRuns) = await NodeOpsAsync(sshd, data, repeat);
                cold.Add(coldRun);
                warm.AddRange(warmRuns);
            }

            Print(count, Median(xargs), Median(ansible), Median(cold), Median(warm), repeat);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<double> XargsAsync(SshdFixture sshd, string work, string knownHosts)
    {
        var targets = Path.Combine(work, "targets.txt");
        await File.WriteAllLinesAsync(targets, sshd.Nodes.Select(n => $"{n.Address} {n.Port}"));
        var ssh = $"ssh -F /dev/null -i {sshd.ClientKeyPath} -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile={knownHosts} " +
            $"-o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o ConnectTimeout=10 -p \"$1\" {sshd.User}@\"$0\" uptime";
        var clock = Stopwatch.StartNew();
        var (exit, output) = await ShellAsync($"xargs -P {sshd.Nodes.Count} -L 1 sh -c '{ssh}' < {targets}", new Dictionary<string, string>());
        var seconds = clock.Elapsed.TotalSeconds;
        Check(exit == 0 && CountLines(output, "load average") == sshd.Nodes.Count, "xargs", output);
        return seconds;
    }

    private static async Task<double> AnsibleAsync(SshdFixture sshd, string work, string knownHosts)
    {
        var inventory = new StringBuilder("[nodes]\n");
        foreach (var node in sshd.Nodes)
        {
            inventory.AppendLine(CultureInfo.InvariantCulture, $"{node.Name} ansible_host={node.Address} ansible_port={node.Port}");
        }

        inventory.AppendLine("[nodes:vars]");
        inventory.AppendLine(CultureInfo.InvariantCulture, $"ansible_user={sshd.User}");
        inventory.AppendLine(CultureInfo.InvariantCulture, $"ansible_ssh_private_key_file={sshd.ClientKeyPath}");
        inventory.AppendLine("ansible_python_interpreter=/usr/bin/python3");
        inventory.AppendLine(CultureInfo.InvariantCulture, $"ansible_ssh_common_args='-F /dev/null -o UserKnownHostsFile={knownHosts} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes'");
        var file = Path.Combine(work, "inventory.ini");
        await File.WriteAllTextAsync(file, inventory.ToString());
        var home = Directory.CreateTempSubdirectory("nodeops-bench-ansible-").FullName;
        // An empty config of its own, so no ansible.cfg on the machine changes the run.
        await File.WriteAllTextAsync(Path.Combine(home, "ansible.cfg"), "[defaults]\n");
        var environment = new Dictionary<string, string>
        {
            ["ANSIBLE_HOME"] = home,
            ["ANSIBLE_LOCAL_TEMP"] = Path.Combine(home, "tmp"),
            ["ANSIBLE_SSH_CONTROL_PATH_DIR"] = Path.Combine(home, "cp"),
            ["ANSIBLE_HOST_KEY_CHECKING"] = "True",
            ["ANSIBLE_NOCOLOR"] = "1",
            ["ANSIBLE_CONFIG"] = Path.Combine(home, "ansible.cfg"),
        };
        try
        {
            var clock = Stopwatch.StartNew();
            var (exit, output) = await ShellAsync($"ansible all -i {file} -f {sshd.Nodes.Count} -m command -a uptime", environment);
            var seconds = clock.Elapsed.TotalSeconds;
            Check(exit == 0 && CountLines(output, "load average") == sshd.Nodes.Count, "ansible", output);
            return seconds;
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task<(double Cold, List<double> Warm)> NodeOpsAsync(SshdFixture sshd, string data, int repeat)
    {
        var catalog = FixtureCatalog.For(sshd, "bench");
        await using var app = await BenchApp.StartAsync(data, [$"--Executions:LaneSize={sshd.Nodes.Count}"], catalog.Register);
        var (client, token) = (app.Client, app.Token);

        // Keep every node's connection, and warm up the process (JIT, store) on one node with the other credential,
        // whose connections are pooled apart from the measured ones.
        (await client.PutAsJsonAsync("/api/v1/features/automation/ssh", new
        {
            enabled = true, timeout = 300, max_concurrent = Math.Max(50, sshd.Nodes.Count), connection_pool_size = sshd.Nodes.Count * 2, idle_timeout = 600, output_limit_bytes = 1024 * 1024,
        })).EnsureSuccessStatusCode();
        await RunOnceAsync(client, token, [sshd.Nodes[0].Name], FixtureCatalog.PasswordCredentialId);

        var names = sshd.Nodes.Select(n => n.Name).ToArray();
        var cold = await RunOnceAsync(client, token, names, FixtureCatalog.KeyCredentialId);
        var warm = new List<double>();
        for (var i = 0; i < repeat; i++)
        {
            warm.Add(await RunOnceAsync(client, token, names, FixtureCatalog.KeyCredentialId));
        }

        return (cold, warm);
    }

    /// <summary>From POST /ssh/execute to the completion event on the progress WebSocket.</summary>
    private static async Task<double> RunOnceAsync(HttpClient client, string token, string[] nodes, long credentialId)
    {
        using var progress = await ProgressSocket.ConnectAsync(client.BaseAddress!, token);
        var clock = Stopwatch.StartNew();
        using var started = await client.PostAsJsonAsync("/api/v1/automation/ssh/execute", new
        {
            cluster_name = "bench", target_nodes = nodes, credential_id = credentialId, command = "uptime", max_concurrent = Math.Max(50, nodes.Length),
        });
        var body = await started.Content.ReadAsStringAsync();
        Check(started.IsSuccessStatusCode, "NodeOps execute", body);
        var taskId = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("task_id").GetString()!;
        await progress.WaitForCompletionAsync(taskId, TimeSpan.FromSeconds(120));
        var seconds = clock.Elapsed.TotalSeconds;
        var status = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/v1/automation/ssh/status/{taskId}", UriKind.Relative))).RootElement.GetProperty("data");
        Check(status.GetProperty("status").GetString() == "completed" && status.GetProperty("success_count").GetInt32() == nodes.Length, "NodeOps run", status.ToString());
        return seconds;
    }

    private static void Print(int count, double xargs, double ansible, double cold, double warm, int repeat)
    {
        Console.WriteLine();
        Console.WriteLine($"uptime on {count} loopback sshd nodes, {Environment.ProcessorCount} CPU cores; medians of {repeat} runs (ansible: {Math.Max(1, repeat - 1)})");
        Console.WriteLine();
        Console.WriteLine("| run                                   | seconds | vs xargs |");
        Console.WriteLine("|---------------------------------------|--------:|---------:|");
        Row($"xargs -P {count} ssh ... uptime", xargs, xargs);
        Row($"ansible all -f {count} -m command", ansible, xargs);
        Row("NodeOps, cold pool (new connections)", cold, xargs);
        Row("NodeOps, warm pool (reused masters)", warm, xargs);
        Console.WriteLine();
        Console.WriteLine($"target: NodeOps cold <= 1.2 x xargs   : {cold / xargs:0.00} x  {(cold <= 1.2 * xargs ? "met" : "NOT met")}");
        Console.WriteLine($"target: ansible / NodeOps >= 10       : {ansible / cold:0.0} x (cold), {ansible / warm:0.0} x (warm)  {(ansible / cold >= 10 ? "met" : "NOT met (cold)")}");
        Console.WriteLine($"target: warm < 0.5 x cold             : {warm / cold:0.00} x  {(warm < 0.5 * cold ? "met" : "NOT met")}");

        static void Row(string name, double seconds, double baseline) =>
            Console.WriteLine($"| {name,-37} | {seconds,7:0.000} | {seconds / baseline,7:0.00}x |");
    }

    private static async Task<(int Exit, string Output)> ShellAsync(string command, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static int CountLines(string output, string text) => output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));
}
