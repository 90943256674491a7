using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using NodeOps.Auth;
using NodeOps.Functions.Hosting;
using NodeOps.Tests.TestBed;

using Microsoft.Extensions.DependencyInjection;

namespace NodeOps.Bench;

/// <summary>
/// Time NodeOps adds before the first delta: from the moment the fake provider writes its first content token to the
/// moment a streaming client reads the first delta frame from NodeOps. Same process, one monotonic clock. A direct
/// client of the fake provider gives the loopback floor for comparison.
/// </summary>
internal static class FirstDeltaBenchmark
{
    private const int Warmup = 30;

    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        var culture = CultureInfo.InvariantCulture;

        await using var llm = await FakeLlmServer.StartAsync();
        var data = Path.Combine(Path.GetTempPath(), "nodeops-bench-" + Guid.NewGuid().ToString("N"));
        var app = await BenchApp.StartAsync(data,
        [
            "--Assistant:DefaultProvider=fake",
            $"--Assistant:Providers:fake:BaseUrl={llm.BaseUrl}",
            "--Assistant:Providers:fake:ApiKey=bench-key",
            "--Assistant:Providers:fake:Models:0:Id=fake-model",
        ]);
        try
        {
            var client = app.Client;
            using var direct = new HttpClient { BaseAddress = new Uri(llm.BaseUrl.ToString().TrimEnd('/') + "/") };
            var added = new List<double>();
            var floor = new List<double>();
            var total = new List<double>();
            for (var i = 0; i < Warmup + iterations; i++)
            {
                llm.Enqueue(FakeLlmResponse.Reply("first token, then a few more words of the answer") with { ChunkSize = 6 });
                var sent = Stopwatch.GetTimestamp();
                var firstDelta = await FirstDeltaAsync(client, $"bench-{i}");
                var token = llm.ChatRequests[^1].FirstTokenAt;

                llm.Enqueue(FakeLlmResponse.Reply("first token, then a few more words of the answer") with { ChunkSize = 6 });
                var firstChunk = await FirstDirectChunkAsync(direct);
                var directToken = llm.ChatRequests[^1].FirstTokenAt;
                if (i >= Warmup)
                {
                    added.Add(Stopwatch.GetElapsedTime(token, firstDelta).TotalMilliseconds);
                    floor.Add(Stopwatch.GetElapsedTime(directToken, firstChunk).TotalMilliseconds);
                    total.Add(Stopwatch.GetElapsedTime(sent, firstDelta).TotalMilliseconds);
                }
            }

            var table = new StringBuilder();
            table.AppendLine(culture, $"NodeOps assistant: time to first delta ({iterations} streamed chats, {Warmup} warm-up, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription})");
            table.AppendLine("| measure                                                    | median  | p90     | p99     | min     |");
            table.AppendLine("|------------------------------------------------------------|---------|---------|---------|---------|");
            Row(table, "NodeOps added: provider first token -> client first delta", added);
            Row(table, "loopback floor: provider first token -> direct client", floor);
            Row(table, "whole request: POST sent -> client first delta", total);
            var median = Percentile(added, 0.5);
            table.AppendLine(culture, $"target: median added < 5 ms -> {(median < 5 ? "met" : "NOT met")} ({median:0.000} ms)");
            Console.Write(table.ToString());
        }
        finally
        {
            await app.DisposeAsync();
            BenchSupport.DeleteDataFolder(data);
        }

        return 0;
    }

    private static async Task<long> FirstDeltaAsync(HttpClient client, string sessionId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/stream")
        {
            Content = new StringContent($"{{\"query\":\"bench\",\"session_id\":\"{sessionId}\"}}", Encoding.UTF8, "application/json"),
        };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        long first = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (first == 0 && line.StartsWith("data: {\"delta\"", StringComparison.Ordinal))
            {
                first = Stopwatch.GetTimestamp();
            }
        }

        return first != 0 ? first : throw new InvalidOperationException("no delta frame");
    }

    private static async Task<long> FirstDirectChunkAsync(HttpClient direct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions")
        {
            Content = new StringContent("{\"model\":\"fake-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", Encoding.UTF8, "application/json"),
        };
        using var response = await direct.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        long first = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (first == 0 && line.Contains("\"content\":\"first", StringComparison.Ordinal))
            {
                first = Stopwatch.GetTimestamp();
            }
        }

        return first;
    }

    private static void Row(StringBuilder table, string name, List<double> values) =>
        table.AppendLine(CultureInfo.InvariantCulture, $"| {name,-58} | {Percentile(values, 0.5),5:0.000}ms | {Percentile(values, 0.9),5:0.000}ms | {Percentile(values, 0.99),5:0.000}ms | {values.Min(),5:0.000}ms |");

    private static double Percentile(List<double> values, double q) => BenchSupport.Percentile(values, q);
}
