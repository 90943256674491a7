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
using NodeOps.Credentials;
using NodeOps.Functions.Hosting;
using NodeOps.Runners.Ssh;
using NodeOps.Tests.TestBed;
using static NodeOps.Bench.BenchSupport;

namespace NodeOps.Bench;

/// <summary>
/// `uptime` on N loopback sshd nodes: NodeOps timed from POST /ssh/execute to the final status (first run with a
/// cold connection pool, then with warm connections), against `xargs -P N ssh ...` (new connections), the same over
/// OpenSSH ControlMaster connections opened beforehand, and `ansible all -f N -m command -a uptime`, on the same
/// nodes in the same session; what the engine adds before the first node's command starts; NodeOps's idle memory.
/// Then a scale run on more nodes: cold and warm time, and NodeOps's memory.
/// </summary>
internal static class SshBenchmark
{

    public static async Task<int> RunAsync(string[] args)
    {
        var count = Option(args, "--nodes", 50);
        var repeat = Option(args, "--repeat", 3);
        var large = Option(args, "--large", 200);
        var engineOnly = args.Contains("--engine-only");
        Console.WriteLine($"Starting {count} sshd nodes on 127.0.0.x ...");
        await using (var sshd = await SshdFixture.StartAsync(count))
        {
            if (engineOnly)
            {
                // The quick loop for engine work: no xargs/ansible baselines, only the engine's share and idle memory.
                var (firstStart, idle) = await EngineAsync(sshd, repeat);
                Console.WriteLine();
                Console.WriteLine($"{count} loopback sshd nodes, {Environment.ProcessorCount} CPU cores; {repeat} fresh instances, 10 warm runs each");
                PrintFirstStart(firstStart);
                Goal("idle RSS (bench process) < 150 MiB", $"{idle:0} MiB", idle < 150);
                return 0;
            }

            PrintComparison(count, repeat, await CompareAsync(sshd, repeat));
        }

        if (large > 0)
        {
            Console.WriteLine($"Starting {large} sshd nodes for the scale run ...");
            await using var sshd = await SshdFixture.StartAsync(large, "big");
            PrintScale(await ScaleAsync(sshd));
        }

        return 0;
    }

    private sealed record Comparison(double Xargs, double ControlMaster, double Ansible, double Cold, double Warm, FirstStart FirstStart, double IdleRssMiB);

    /// <summary>Medians, in ms, of POST to the first node's command starting, and of the same start through the SSH runner alone.</summary>
    private sealed record FirstStart(double NodeOpsMs, double DirectMs)
    {
        public double EngineMs => NodeOpsMs - DirectMs;

        public static FirstStart Of(IReadOnlyList<(double NodeOps, double Direct)> pairs) =>
            new(Median(pairs.Select(p => p.NodeOps).ToList()), Median(pairs.Select(p => p.Direct).ToList()));
    }

    private sealed record Scale(int Nodes, double Cold, double Warm, double RssMiB, double PeakRssMiB);

    private static async Task<Comparison> CompareAsync(SshdFixture sshd, int repeat)
    {
        var work = Directory.CreateTempSubdirectory("nodeops-bench-").FullName;
        try
        {
            var knownHosts = await KnownHostsAsync(sshd, work);
            var xargs = new List<double>();
            var controlMaster = new List<double>();
            for (var i = 0; i < repeat; i++)
            {
                xargs.Add(await XargsAsync(sshd, work, knownHosts, null));
            }

            await OpenControlMastersAsync(sshd, work, knownHosts);
            try
            {
                for (var i = 0; i < repeat; i++)
                {
                    controlMaster.Add(await XargsAsync(sshd, work, knownHosts, ControlPath(work)));
                }
            }
            finally
            {
                await CloseControlMastersAsync(sshd, work);
            }

            var ansible = new List<double>();
            for (var i = 0; i < Math.Max(1, repeat - 1); i++)
            {
                ansible.Add(await AnsibleAsync(sshd, work, knownHosts));
            }

            var cold = new List<double>();
            var warm = new List<double>();
            var firstStart = new List<(double, double)>();
            var idle = new List<double>();
            for (var i = 0; i < repeat; i++)
            {
                // A fresh instance each time: its connection pool starts empty.
                await using var app = await StartNodeOpsAsync(sshd, Path.Combine(work, "data"));
                idle.Add(await IdleRssAsync());
                cold.Add(await RunOnceAsync(app, sshd, FixtureCatalog.KeyCredentialId));
                for (var w = 0; w < repeat; w++)
                {
                    warm.Add(await RunOnceAsync(app, sshd, FixtureCatalog.KeyCredentialId));
                }

                for (var f = 0; f < 10; f++)
                {
                    firstStart.Add(await FirstStartPairAsync(app, sshd));
                }
            }

            return new Comparison(Median(xargs), Median(controlMaster), Median(ansible), Median(cold), Median(warm), FirstStart.Of(firstStart), Median(idle));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Median POST-to-first-start over 10 warm runs per fresh instance, and the median idle RSS.</summary>
    private static async Task<(FirstStart FirstStart, double IdleRssMiB)> EngineAsync(SshdFixture sshd, int repeat)
    {
        var work = Directory.CreateTempSubdirectory("nodeops-bench-").FullName;
        try
        {
            var firstStart = new List<(double, double)>();
            var idle = new List<double>();
            for (var i = 0; i < repeat; i++)
            {
                await using var app = await StartNodeOpsAsync(sshd, Path.Combine(work, "data" + i));
                idle.Add(await IdleRssAsync());
                await RunOnceAsync(app, sshd, FixtureCatalog.KeyCredentialId);
                for (var f = 0; f < 10; f++)
                {
                    firstStart.Add(await FirstStartPairAsync(app, sshd));
                }
            }

            return (FirstStart.Of(firstStart), Median(idle));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>One cold and one warm run on many nodes, and what NodeOps's process holds with every connection open.</summary>
    private static async Task<Scale> ScaleAsync(SshdFixture sshd)
    {
        var work = Directory.CreateTempSubdirectory("nodeops-bench-").FullName;
        try
        {
            await using var app = await StartNodeOpsAsync(sshd, Path.Combine(work, "data"));
            var cold = await RunOnceAsync(app, sshd, FixtureCatalog.KeyCredentialId);
            var warm = await RunOnceAsync(app, sshd, FixtureCatalog.KeyCredentialId);
            var (rss, peak) = Memory();
            return new Scale(sshd.Nodes.Count, cold, warm, rss, peak);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Resident and peak resident memory of this process (NodeOps runs in it; the sshd nodes do not), in MiB.</summary>
    private static (double Rss, double Peak) Memory()
    {
        var status = File.ReadAllLines("/proc/self/status");
        double Field(string name) => double.Parse(status.First(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
        return (Field("VmRSS:"), Field("VmHWM:"));
    }

    internal static async Task<string> KnownHostsAsync(SshdFixture sshd, string work)
    {
        var knownHosts = Path.Combine(work, "known_hosts");
        await File.WriteAllLinesAsync(knownHosts, sshd.Nodes.Select(n =>
            $"[{n.Address}]:{n.Port} {string.Join(' ', File.ReadAllText(n.HostKeyPath + ".pub").Split(' ').Take(2))}"));
        return knownHosts;
    }

    private static string ControlPath(string work) => Path.Combine(work, "cm-%h-%p");

    internal static string SshCommand(SshdFixture sshd, string knownHosts, string? controlPath) =>
        $"ssh -F /dev/null -i {sshd.ClientKeyPath} -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile={knownHosts} " +
        $"-o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o ConnectTimeout=10 " +
        (controlPath is null ? "" : $"-o ControlPath={controlPath} ") + $"-p \"$1\" {sshd.User}@\"$0\"";

    /// <summary>`xargs -P N ssh … uptime`: each node a new connection, or (with a control path) a session on its open master.</summary>
    private static async Task<double> XargsAsync(SshdFixture sshd, string work, string knownHosts, string? controlPath)
    {
        var targets = await TargetsAsync(sshd, work);
        var clock = Stopwatch.StartNew();
        var (exit, output) = await ShellAsync($"xargs -P {sshd.Nodes.Count} -L 1 sh -c '{SshCommand(sshd, knownHosts, controlPath)} uptime' < {targets}", new Dictionary<string, string>());
        var seconds = clock.Elapsed.TotalSeconds;
        Check(exit == 0 && CountLines(output, "load average") == sshd.Nodes.Count, controlPath is null ? "xargs" : "xargs over ControlMaster", output);
        return seconds;
    }

    /// <summary>One OpenSSH master per node (ControlPersist, so each ends by itself within a minute should the benchmark die).</summary>
    private static async Task OpenControlMastersAsync(SshdFixture sshd, string work, string knownHosts)
    {
        var targets = await TargetsAsync(sshd, work);
        var (exit, output) = await ShellAsync(
            $"xargs -P {sshd.Nodes.Count} -L 1 sh -c '{SshCommand(sshd, knownHosts, ControlPath(work))} -o ControlMaster=yes -o ControlPersist=60 true' < {targets}",
            new Dictionary<string, string>());
        Check(exit == 0, "opening ControlMaster connections", output);
    }

    private static async Task CloseControlMastersAsync(SshdFixture sshd, string work)
    {
        var targets = await TargetsAsync(sshd, work);
        await ShellAsync($"xargs -P {sshd.Nodes.Count} -L 1 sh -c 'ssh -F /dev/null -o ControlPath={ControlPath(work)} -O exit -p \"$1\" x@\"$0\" 2>/dev/null' < {targets}", new Dictionary<string, string>());
    }

    internal static async Task<string> TargetsAsync(SshdFixture sshd, string work)
    {
        var targets = Path.Combine(work, "targets.txt");
        await File.WriteAllLinesAsync(targets, sshd.Nodes.Select(n => $"{n.Address} {n.Port}"));
        return targets;
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

    /// <summary>
    /// NodeOps with every node's connection kept, its process warmed (JIT, store) on one node with the other
    /// credential, whose connection is pooled apart from the measured ones.
    /// </summary>
    private static async Task<BenchApp> StartNodeOpsAsync(SshdFixture sshd, string data)
    {
        var app = await BenchApp.StartAsync(data, [$"--Executions:LaneSize={sshd.Nodes.Count}"], FixtureCatalog.For(sshd, "bench").Register);
        (await app.Client.PutAsJsonAsync("/api/v1/features/automation/ssh", new
        {
            enabled = true, timeout = 300, max_concurrent = Math.Max(50, sshd.Nodes.Count), connection_pool_size = sshd.Nodes.Count * 2, idle_timeout = 600, output_limit_bytes = 1024 * 1024,
        })).EnsureSuccessStatusCode();
        await RunOnceAsync(app, [sshd.Nodes[0].Name], FixtureCatalog.PasswordCredentialId);
        return app;
    }

    private static Task<double> RunOnceAsync(BenchApp app, SshdFixture sshd, long credentialId) =>
        RunOnceAsync(app, sshd.Nodes.Select(n => n.Name).ToArray(), credentialId);

    private static async Task<double> RunOnceAsync(BenchApp app, string[] nodes, long credentialId) =>
        (await RunAsync(app, nodes, credentialId, "uptime")).Seconds;

    /// <summary>
    /// Milliseconds from just before POST /ssh/execute to the earliest node's command starting, warm pool: each node
    /// prints its wall clock first thing, and the nodes are loopback sshd on this machine, so the clocks are one.
    /// Paired with the same measured straight through the SSH runner (<see cref="DirectFirstStartAsync"/>).
    /// </summary>
    private static async Task<(double NodeOps, double Direct)> FirstStartPairAsync(BenchApp app, SshdFixture sshd)
    {
        var posted = DateTimeOffset.UtcNow;
        var (_, status) = await RunAsync(app, sshd.Nodes.Select(n => n.Name).ToArray(), FixtureCatalog.KeyCredentialId, "date +%s%N");
        var first = status.GetProperty("results").EnumerateArray().Min(r => RemoteClock(r.GetProperty("stdout").GetString()!));
        return ((first - posted).TotalMilliseconds, await DirectFirstStartAsync(app, sshd));
    }

    /// <summary>
    /// The baseline of <see cref="FirstStartPairAsync"/>: the same commands started straight through NodeOps's SSH
    /// runner on the same warm connections, one after another as a lane starts them, with no HTTP, store or engine.
    /// It is the SSH share (channel, remote shells, 2 cores shared with every sshd), so the difference is the engine's.
    /// </summary>
    private static async Task<double> DirectFirstStartAsync(BenchApp app, SshdFixture sshd)
    {
        var runner = app.Services.GetRequiredService<ISshRunner>();
        var credential = await app.Services.GetRequiredService<ICredentialVault>().GetDecryptedAsync(FixtureCatalog.KeyCredentialId);
        var invocation = RemoteInvocation.ForCommand("date +%s%N");
        var started = DateTimeOffset.UtcNow;
        var runs = sshd.Nodes
            .Select(n => runner.RunAsync(new SshRunRequest(new SshTarget("bench", n.Name, n.Address, n.Port, credential), invocation, TimeSpan.FromSeconds(60), 1 << 20)))
            .ToList();
        var results = await Task.WhenAll(runs);
        Check(results.All(r => r is { Outcome: SshRunOutcome.Exited, ExitCode: 0 }), "direct SSH runner", string.Join("\n", results.Select(r => r.Message)));
        return (results.Min(r => RemoteClock(r.Stdout)) - started).TotalMilliseconds;
    }

    /// <summary>A node's `date +%s%N`.</summary>
    private static DateTimeOffset RemoteClock(string stdout) =>
        DateTimeOffset.FromUnixTimeMilliseconds(0).AddTicks(long.Parse(stdout.Trim(), CultureInfo.InvariantCulture) / 100);

    /// <summary>The engine's goal is on its own share: NodeOps's time less the SSH runner's, medians of the same run.</summary>
    private static void PrintFirstStart(FirstStart first)
    {
        Console.WriteLine($"POST to first command start: NodeOps {first.NodeOpsMs:0.0} ms, the SSH runner alone {first.DirectMs:0.0} ms (baseline, same nodes and connections)");
        Goal("engine's share of it < 50 ms", $"{first.EngineMs:0.0} ms", first.EngineMs < 50);
    }

    /// <summary>The process's resident memory once NodeOps has started, warmed up and sat idle for a few seconds, in MiB.</summary>
    private static async Task<double> IdleRssAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        return Memory().Rss;
    }

    /// <summary>From POST /ssh/execute to the completion event on the progress WebSocket; the final status view.</summary>
    private static async Task<(double Seconds, JsonElement Status)> RunAsync(BenchApp app, string[] nodes, long credentialId, string command)
    {
        var client = app.Client;
        using var progress = await ProgressSocket.ConnectAsync(client.BaseAddress!, app.Token);
        var clock = Stopwatch.StartNew();
        using var started = await client.PostAsJsonAsync("/api/v1/automation/ssh/execute", new
        {
            cluster_name = "bench", target_nodes = nodes, credential_id = credentialId, command, max_concurrent = Math.Max(50, nodes.Length),
        });
        var body = await started.Content.ReadAsStringAsync();
        Check(started.IsSuccessStatusCode, "NodeOps execute", body);
        var taskId = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("task_id").GetString()!;
        await progress.WaitForCompletionAsync(taskId, TimeSpan.FromSeconds(120));
        var seconds = clock.Elapsed.TotalSeconds;
        var status = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/v1/automation/ssh/status/{taskId}", UriKind.Relative))).RootElement.GetProperty("data");
        var failures = status.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("status").GetString() != "success").Select(r => r.ToString());
        Check(status.GetProperty("status").GetString() == "completed" && status.GetProperty("success_count").GetInt32() == nodes.Length, "NodeOps run",
            $"status {status.GetProperty("status")}, {status.GetProperty("success_count")} succeeded; " + string.Join("\n", failures));
        return (seconds, status.Clone());
    }

    private static void PrintComparison(int count, int repeat, Comparison c)
    {
        Console.WriteLine();
        Console.WriteLine($"uptime on {count} loopback sshd nodes, {Environment.ProcessorCount} CPU cores; medians of {repeat} runs (ansible: {Math.Max(1, repeat - 1)}; NodeOps warm: {repeat * repeat})");
        Console.WriteLine();
        Console.WriteLine("| run                                        | seconds | vs xargs | vs ControlMaster |");
        Console.WriteLine("|--------------------------------------------|--------:|---------:|-----------------:|");
        Row($"xargs -P {count} ssh ... uptime (new connections)", c.Xargs);
        Row($"xargs -P {count} ssh over ControlMaster (reuse)", c.ControlMaster);
        Row($"ansible all -f {count} -m command", c.Ansible);
        Row("NodeOps, cold pool (new connections)", c.Cold);
        Row("NodeOps, warm pool (reused connections)", c.Warm);
        Console.WriteLine();
        Goal("NodeOps cold <= 0.8 x xargs", $"{c.Cold / c.Xargs:0.00} x", c.Cold <= 0.8 * c.Xargs);
        Goal("NodeOps warm <= 0.6 x ControlMaster", $"{c.Warm / c.ControlMaster:0.00} x", c.Warm <= 0.6 * c.ControlMaster);
        Goal("ansible / NodeOps cold >= 10", $"{c.Ansible / c.Cold:0.0} x", c.Ansible / c.Cold >= 10);
        Goal("ansible / NodeOps warm >= 10", $"{c.Ansible / c.Warm:0.0} x", c.Ansible / c.Warm >= 10);
        PrintFirstStart(c.FirstStart);
        Goal("idle RSS < 150 MiB", $"{c.IdleRssMiB:0} MiB", c.IdleRssMiB < 150);
        Console.WriteLine();

        void Row(string name, double seconds) =>
            Console.WriteLine($"| {name,-42} | {seconds,7:0.000} | {seconds / c.Xargs,7:0.00}x | {seconds / c.ControlMaster,15:0.00}x |");
    }

    private static void PrintScale(Scale scale)
    {
        Console.WriteLine();
        Console.WriteLine($"| {scale.Nodes} nodes, one NodeOps | seconds | RSS MiB (all connections open) | peak RSS MiB |");
        Console.WriteLine("|---|--:|--:|--:|");
        Console.WriteLine($"| cold | {scale.Cold,7:0.000} | {scale.RssMiB,6:0} | {scale.PeakRssMiB,6:0} |");
        Console.WriteLine($"| warm | {scale.Warm,7:0.000} | | |");
        Console.WriteLine();
        Goal($"{scale.Nodes} nodes cold < 10 s", $"{scale.Cold:0.00} s", scale.Cold < 10);
        Goal("NodeOps peak RSS < 400 MiB", $"{scale.PeakRssMiB:0} MiB", scale.PeakRssMiB < 400);
    }

    private static void Goal(string what, string value, bool met) => Console.WriteLine($"goal: {what,-38}: {value,-12} {(met ? "met" : "NOT met")}");

    internal static async Task<(int Exit, string Output)> ShellAsync(string command, IReadOnlyDictionary<string, string> environment)
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

    internal static int CountLines(string output, string text) => output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));
}
