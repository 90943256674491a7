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
/// The overhead NodeOps adds to a playbook run: the same playbook on the same N nodes, with the same forks,
/// connection settings and pinned host keys, run (a) by ansible-playbook directly, timed around the process, and
/// (b) through NodeOps, timed from POST /ansible/run to the completion event on the progress WebSocket. Runs
/// alternate between the two so drift in the machine's load hits both alike; medians are compared.
/// </summary>
internal static class AnsibleBenchmark
{
    private const string Playbook = """
        - name: Benchmark play
          hosts: all
          gather_facts: false
          tasks:
            - name: Read the load
              ansible.builtin.command: uptime
              changed_when: false
            - name: Find the node folder
              ansible.builtin.command: printenv NODEOPS_NODE_DIR
              register: node_dir
              changed_when: false
            - name: Write a file
              ansible.builtin.copy:
                dest: "{{ node_dir.stdout }}/bench-{{ run }}.txt"
                content: "{{ inventory_hostname }} {{ run }}\n"
            - name: Check it
              ansible.builtin.stat:
                path: "{{ node_dir.stdout }}/bench-{{ run }}.txt"
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var count = Option(args, "--nodes", 20);
        var repeat = Option(args, "--repeat", 5);
        Console.WriteLine($"Starting {count} sshd nodes on 127.0.0.x ...");
        await using var sshd = await SshdFixture.StartAsync(count);
        var work = Directory.CreateTempSubdirectory("nodeops-ansible-bench-").FullName;
        try
        {
            var direct = new DirectAnsible(sshd, work);
            await using var nodeOps = await NodeOpsHost.StartAsync(sshd, work, count);

            // Warm-up, not measured: NodeOps pins every node's key on first contact, both sides load Python's and
            // .NET's code for the first time.
            var firstNodeOps = await nodeOps.RunAsync("warmup-nodeops");
            var firstDirect = await direct.RunAsync("warmup-direct");

            var directTimes = new List<double>();
            var nodeOpsTimes = new List<double>();
            for (var i = 0; i < repeat; i++)
            {
                directTimes.Add(await direct.RunAsync("d" + i.ToString(CultureInfo.InvariantCulture)));
                nodeOpsTimes.Add(await nodeOps.RunAsync("n" + i.ToString(CultureInfo.InvariantCulture)));
            }

            Print(count, repeat, directTimes, nodeOpsTimes, firstDirect, firstNodeOps);
            var overhead = Median(nodeOpsTimes) - Median(directTimes);
            return overhead <= Target(Median(directTimes)) ? 0 : 1;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static double Target(double direct) => Math.Max(0.05 * direct, 0.3);

    private static void Print(int count, int repeat, List<double> direct, List<double> nodeOps, double firstDirect, double firstNodeOps)
    {
        var d = Median(direct);
        var n = Median(nodeOps);
        Console.WriteLine();
        Console.WriteLine($"4-task playbook on {count} loopback sshd nodes, forks {count}, {Environment.ProcessorCount} CPU cores; {repeat} runs each, alternating");
        Console.WriteLine();
        Console.WriteLine("| run                                    | median s |  min s |  max s |");
        Console.WriteLine("|----------------------------------------|---------:|-------:|-------:|");
        Row("ansible-playbook directly", direct);
        Row("NodeOps POST /ansible/run -> complete", nodeOps);
        Console.WriteLine();
        Console.WriteLine($"first runs (not in the medians): direct {firstDirect:0.000} s, NodeOps {firstNodeOps:0.000} s (includes pinning {count} host keys)");
        Console.WriteLine($"overhead: {n - d:+0.000;-0.000} s ({(n - d) / d * 100:+0.0;-0.0}%)   target <= max(5%, 300 ms) = {Target(d):0.000} s   {(n - d <= Target(d) ? "met" : "NOT met")}");

        static void Row(string name, List<double> values) =>
            Console.WriteLine($"| {name,-38} | {Median(values),8:0.000} | {values.Min(),6:0.000} | {values.Max(),6:0.000} |");
    }

    /// <summary>
    /// ansible-playbook on a static inventory of the same nodes, with the settings NodeOps gives its runs: the
    /// nodes' own host keys in a known_hosts file with strict checking, forks = N, pipelining, ControlPersist.
    /// </summary>
    private sealed class DirectAnsible
    {
        private readonly SshdFixture _sshd;
        private readonly string _folder;

        public DirectAnsible(SshdFixture sshd, string work)
        {
            _sshd = sshd;
            _folder = Directory.CreateDirectory(Path.Combine(work, "direct")).FullName;
            var knownHosts = Path.Combine(_folder, "known_hosts");
            File.WriteAllLines(knownHosts, sshd.Nodes.Select(n => $"[{n.Address}]:{n.Port} {string.Join(' ', File.ReadAllText(n.HostKeyPath + ".pub").Split(' ').Take(2))}"));
            var inventory = new StringBuilder("[nodes]\n");
            foreach (var node in sshd.Nodes)
            {
                inventory.AppendLine(CultureInfo.InvariantCulture, $"{node.Name} ansible_host={node.Address} ansible_port={node.Port}");
            }

            inventory.AppendLine("[nodes:vars]");
            inventory.AppendLine(CultureInfo.InvariantCulture, $"ansible_user={sshd.User}");
            inventory.AppendLine(CultureInfo.InvariantCulture, $"ansible_ssh_private_key_file={sshd.ClientKeyPath}");
            File.WriteAllText(Path.Combine(_folder, "inventory.ini"), inventory.ToString());
            File.WriteAllText(Path.Combine(_folder, "playbook.yml"), Playbook);
            File.WriteAllText(Path.Combine(_folder, "ansible.cfg"), $"""
                [defaults]
                inventory = {_folder}/inventory.ini
                forks = {sshd.Nodes.Count}
                host_key_checking = True
                retry_files_enabled = False
                interpreter_python = auto_silent
                nocows = True
                nocolor = True
                local_tmp = {_folder}/tmp
                [ssh_connection]
                ssh_args = -F /dev/null -o UserKnownHostsFile={knownHosts} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -o IdentityAgent=none -o ControlMaster=auto -o ControlPersist=60s
                control_path_dir = {_folder}/cp
                pipelining = True

                """);
        }

        public async Task<double> RunAsync(string run)
        {
            var start = new ProcessStartInfo("ansible-playbook") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
            foreach (var argument in new[] { "-e", "run=" + run, Path.Combine(_folder, "playbook.yml") })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["ANSIBLE_CONFIG"] = Path.Combine(_folder, "ansible.cfg");
            start.Environment["HOME"] = _folder;
            start.Environment["LC_ALL"] = "C.UTF-8";
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var seconds = clock.Elapsed.TotalSeconds;
            var text = await output + await error;
            Check(process.ExitCode == 0 && _sshd.Nodes.All(n => File.Exists(Path.Combine(n.Folder, $"bench-{run}.txt"))), "ansible-playbook", text);
            await CloseMastersAsync();
            return seconds;
        }

        /// <summary>Between runs only (not timed): each run starts from new connections, as a NodeOps run does.</summary>
        private async Task CloseMastersAsync()
        {
            var folder = Path.Combine(_folder, "cp");
            if (!Directory.Exists(folder))
            {
                return;
            }

            await Task.WhenAll(Directory.GetFiles(folder).Select(async socket =>
            {
                var start = new ProcessStartInfo("ssh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var argument in new[] { "-F", "/dev/null", "-o", "ControlPath=" + socket, "-O", "exit", "nodeops" })
                {
                    start.ArgumentList.Add(argument);
                }

                using var process = Process.Start(start)!;
                await process.WaitForExitAsync();
            }));
        }
    }

    /// <summary>NodeOps in this process on SQLite, with the in-test catalog holding the nodes, the key and the playbook.</summary>
    private sealed class NodeOpsHost : IAsyncDisposable
    {
        private readonly BenchApp _bench;
        private readonly SshdFixture _sshd;

        private NodeOpsHost(BenchApp bench, SshdFixture sshd)
        {
            _bench = bench;
            _sshd = sshd;
        }

        public static async Task<NodeOpsHost> StartAsync(SshdFixture sshd, string work, int forks)
        {
            var catalog = FixtureCatalog.For(sshd, "bench").AddPlaybook(1, "benchmark", Playbook);
            var bench = await BenchApp.StartAsync(Path.Combine(work, "data"), configureServices: catalog.Register);
            using var set = await bench.Client.PutAsJsonAsync("/api/v1/features/automation/ansible", new
            {
                enabled = true, binary_path = "/usr/bin/ansible-playbook", temp_dir = Path.Combine(work, "runs"), timeout = 600, max_concurrent = 10, forks,
            });
            Check(set.IsSuccessStatusCode, "setting the Ansible features", await set.Content.ReadAsStringAsync());
            return new NodeOpsHost(bench, sshd);
        }

        public async Task<double> RunAsync(string run)
        {
            var names = _sshd.Nodes.Select(n => n.Name).ToArray();
            // The end is seen on the progress WebSocket (what a UI does), so no status polling competes with the
            // playbook for the CPU while it runs.
            using var progress = await ProgressSocket.ConnectAsync(_bench.Client.BaseAddress!, _bench.Token);
            var clock = Stopwatch.StartNew();
            using var started = await _bench.Client.PostAsJsonAsync("/api/v1/automation/ansible/run", new
            {
                playbook_id = 1, cluster_name = "bench", target_nodes = names, credential_id = FixtureCatalog.KeyCredentialId, extra_vars = new { run },
            });
            var body = await started.Content.ReadAsStringAsync();
            Check(started.IsSuccessStatusCode, "NodeOps run", body);
            var taskId = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("task_id").GetString()!;
            await progress.WaitForCompletionAsync(taskId, TimeSpan.FromSeconds(300));

            var seconds = clock.Elapsed.TotalSeconds;
            var status = JsonDocument.Parse(await _bench.Client.GetStringAsync(new Uri($"/api/v1/automation/ansible/status/{taskId}?output_limit=1", UriKind.Relative))).RootElement.GetProperty("data");
            Check(status.GetProperty("status").GetString() == "completed" && status.GetProperty("success_count").GetInt32() == names.Length
                && _sshd.Nodes.All(n => File.Exists(Path.Combine(n.Folder, $"bench-{run}.txt"))), "NodeOps run", status.ToString());
            return seconds;
        }

        public ValueTask DisposeAsync() => _bench.DisposeAsync();
    }
}
