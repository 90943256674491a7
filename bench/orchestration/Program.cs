using System.Diagnostics;
using System.Globalization;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Bench;
using NodeOps.Orchestration;
using NodeOps.OrchestrationTestHost.Contract;
using NodeOps.Tests.TestBed;

namespace NodeOps.OrchestrationBench;

/// <summary>
/// Orchestration throughput: a chain of N no-op activities and a fan-out of N, on NodeOps' SQLite backend and on
/// DurableTask.AzureStorage (the Durable Functions backend) over Azurite, in the same run. The rate is activities per
/// second between the instance's creation and its completion as the backend recorded them.
/// </summary>
public static class Program
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(15);

    public static async Task<int> Main(string[] args)
    {
        var count = BenchSupport.Option(args, "--activities", 1000);
        var repeat = BenchSupport.Option(args, "--repeat", 3);
        var rows = new List<string>();
        using var folder = new TempFolder();

        rows.AddRange(await MeasureAsync("SQLite (NodeOps)", Sqlite(folder.Path), count, repeat));

        if (args.Contains("--sqlite-only"))
        {
            Print(rows, count, repeat);
            return 0;
        }

        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            rows.AddRange(await MeasureAsync("Azure Storage (Azurite)", AzureStorage(azurite, folder.Path), count, repeat));
        }
        finally
        {
            await azurite.DisposeAsync();
        }

        Print(rows, count, repeat);
        return 0;
    }

    private static void Print(List<string> rows, int count, int repeat)
    {
        Console.WriteLine();
        Console.WriteLine($"Orchestration throughput, {count} no-op activities, median of {repeat} (machine: {Environment.ProcessorCount} cores)");
        Console.WriteLine("| backend | workload | seconds | activities/s | goal |");
        Console.WriteLine("| --- | --- | ---: | ---: | --- |");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine("Anchors (published): Durable Functions on Azure Storage ~5/s sequential, ~100/s fan-out; Netherite 250-350/s sequential, 500-2,000/s parallel.");
    }

    private static async Task<List<string>> MeasureAsync(string backend, Dictionary<string, string?> settings, int count, int repeat)
    {
        await using var services = ContractServices.Build(settings);
        var runtime = services.GetRequiredService<OrchestrationRuntime>();
        await runtime.StartAsync(CancellationToken.None);
        try
        {
            // Warm-up: JIT, the schema or task hub, the first leases.
            await RunAsync(runtime.Client, nameof(ChainOrchestrator), 20);
            await RunAsync(runtime.Client, nameof(FanOutOrchestrator), 20);
            var chain = new List<double>();
            var fanOut = new List<double>();
            for (var i = 0; i < repeat; i++)
            {
                chain.Add(await RunAsync(runtime.Client, nameof(ChainOrchestrator), count));
                fanOut.Add(await RunAsync(runtime.Client, nameof(FanOutOrchestrator), count));
                Console.Error.WriteLine($"{backend} run {i + 1}: chain {chain[^1]:F2} s, fan-out {fanOut[^1]:F2} s");
            }

            var sqlite = backend.StartsWith("SQLite", StringComparison.Ordinal);
            return
            [
                Row(backend, $"chain of {count}", BenchSupport.Median(chain), count, sqlite ? ">= 300/s" : ""),
                Row(backend, $"fan-out of {count}", BenchSupport.Median(fanOut), count, sqlite ? ">= 1,000/s" : ""),
            ];
        }
        finally
        {
            await runtime.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Seconds from creation to completion as the backend stamped them; a failed run stops the benchmark.</summary>
    private static async Task<double> RunAsync(IOrchestrationClient client, string orchestrator, int count)
    {
        var id = await client.StartAsync(orchestrator, new WorkInput(count, 0), null, CancellationToken.None);
        var done = await client.WaitForCompletionAsync(id, Patience, CancellationToken.None);
        if (done?.Status != OrchestrationRuntimeStatus.Completed || done.ReadOutput<WorkResult>()?.Sum != Expected.SumOfSquares(count))
        {
            throw new InvalidOperationException($"{orchestrator} of {count} did not complete right: {done?.Status} {done?.FailureMessage}");
        }

        return (done.LastUpdatedAt - done.CreatedAt).TotalSeconds;
    }

    private static string Row(string backend, string workload, double seconds, int count, string goal) =>
        string.Create(CultureInfo.InvariantCulture, $"| {backend} | {workload} | {seconds:F2} | {count / seconds:F0} | {goal} |");

    private static Dictionary<string, string?> Sqlite(string folder) => new()
    {
        ["Host:DataPath"] = folder,
        ["Orchestration:SqliteFile"] = System.IO.Path.Combine(folder, "bench-orchestration.db"),
    };

    private static Dictionary<string, string?> AzureStorage(AzuriteFixture azurite, string folder) => new()
    {
        ["Host:DataPath"] = folder,
        ["Storage:Provider"] = "AzureStorage",
        ["Storage:ConnectionString"] = azurite.ConnectionString,
        ["Orchestration:TaskHubName"] = "bench" + Guid.NewGuid().ToString("N")[..12],
    };

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("nodeops-orchestration-bench-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
