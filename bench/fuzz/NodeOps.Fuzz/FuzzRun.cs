using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using NodeOps.Bench;
using NodeOps.Tests.TestBed;

namespace NodeOps.Fuzz;

/// <summary>Starts NodeOps and the fake provider, sends the bounded run of malformed requests, and prints counts by status.</summary>
internal static class FuzzRun
{
    private const int MaxExamples = 25;

    public static async Task<int> RunAsync(FuzzOptions options)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "nodeops-fuzz-" + Guid.NewGuid().ToString("N"));
        await using var llm = await FakeLlmServer.StartAsync();
        for (var i = 0; i < options.Requests + 100; i++)
        {
            llm.Enqueue(FakeLlmResponse.Reply("ok"));
        }

        string[] settings =
        [
            "--Assistant:DefaultProvider=fake", $"--Assistant:Providers:fake:BaseUrl={llm.BaseUrl}", "--Assistant:Providers:fake:ApiKey=sk-fuzz",
            "--Assistant:Providers:fake:Models:0:Id=fake-model", "--Assistant:Providers:fake:Models:0:ContextLength=16384",
            "--Assistant:LlmRetryBaseDelay=00:00:00.010", "--Logging:LogLevel:Default=Error",
        ];
        try
        {
            await using var app = await BenchApp.StartAsync(dataPath, settings);
            using var openApi = JsonDocument.Parse(await app.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
            var routes = FuzzRoute.All(app.Services, openApi.RootElement);
            return await SendAllAsync(app, routes, options);
        }
        finally
        {
            try
            {
                Directory.Delete(dataPath, recursive: true);
            }
            catch (IOException)
            {
                // A pooled SQLite handle; the OS cleans temp.
            }
        }
    }

    private static async Task<int> SendAllAsync(BenchApp app, IReadOnlyList<FuzzRoute> routes, FuzzOptions options)
    {
        var counts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var perRoute = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var examples = new ConcurrentQueue<string>();
        var factory = new MalformedRequests(options.Seed);
        var requests = new List<(FuzzRoute Route, FuzzRequest Request)>(options.Requests);
        for (var i = 0; i < options.Requests; i++)
        {
            var route = routes[i % routes.Count];
            requests.Add((route, factory.Next(route, i / routes.Count)));
        }

        using var deadline = new CancellationTokenSource(options.MaxDuration);
        var clock = Stopwatch.StartNew();
        var sent = 0;
        try
        {
            await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = deadline.Token }, async (item, ct) =>
            {
                var status = await SendAsync(app, item.Request, ct);
                counts.AddOrUpdate(status, 1, (_, n) => n + 1);
                perRoute.AddOrUpdate(item.Route.ToString(), 1, (_, n) => n + 1);
                Interlocked.Increment(ref sent);
                if ((status.StartsWith('5') || status == "no answer") && examples.Count < MaxExamples)
                {
                    examples.Enqueue($"{status} {item.Request.Describe()}");
                }
            });
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Console.WriteLine($"stopped at the time cap ({options.MaxDuration}) after {sent} requests");
        }

        Print(options, routes, counts, perRoute, examples, sent, clock.Elapsed);
        var failures = counts.Where(kv => kv.Key.StartsWith('5') || kv.Key == "no answer").Sum(kv => kv.Value);
        return failures == 0 && sent >= options.Requests ? 0 : 1;
    }

    private static async Task<string> SendAsync(BenchApp app, FuzzRequest fuzz, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), new Uri(fuzz.Path, UriKind.Relative));
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            request.Content.Headers.ContentType = fuzz.ContentType is null ? null : MediaTypeHeaderValue.Parse(fuzz.ContentType);
        }

        switch (fuzz.Caller)
        {
            case "admin":
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", app.Token);
                break;
            case "bad-token":
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJIUzI1NiJ9.e30.forged");
                break;
            case "bad-key":
                request.Headers.Add("X-API-Key", "nok_not-a-key");
                break;
        }

        try
        {
            // The shared client carries the admin token; these requests set their own caller.
            using var client = new HttpClient { BaseAddress = app.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            // The body is read so a stream (SSE) is answered in full; an error frame inside a 200 stream counts as 5xx.
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return status == "200" && body.Contains("\"type\":\"error\"", StringComparison.Ordinal) && body.Contains("\"error_code\":\"INTERNAL_ERROR\"", StringComparison.Ordinal)
                ? "500 (in stream)"
                : status;
        }
        catch (HttpRequestException)
        {
            return "no answer";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "no answer";
        }
    }

    private static void Print(FuzzOptions options, IReadOnlyList<FuzzRoute> routes, ConcurrentDictionary<string, int> counts, ConcurrentDictionary<string, int> perRoute,
        ConcurrentQueue<string> examples, int sent, TimeSpan elapsed)
    {
        Console.WriteLine($"NodeOps fuzz: {sent} malformed requests over {routes.Count} routes (seed {options.Seed}, {options.Concurrency} at once) in {elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"requests per route: min {perRoute.Values.DefaultIfEmpty().Min()}, max {perRoute.Values.DefaultIfEmpty().Max()}; routes reached: {perRoute.Count}/{routes.Count}");
        Console.WriteLine();
        Console.WriteLine("| status | count |");
        Console.WriteLine("| --- | ---: |");
        foreach (var (status, count) in counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"| {status} | {count} |");
        }

        Console.WriteLine($"| total | {counts.Values.Sum()} |");
        var failures = counts.Where(kv => kv.Key.StartsWith('5') || kv.Key == "no answer").Sum(kv => kv.Value);
        Console.WriteLine();
        Console.WriteLine(failures == 0 ? "no 5xx" : $"{failures} answers were 5xx or missing; first ones:");
        foreach (var example in examples)
        {
            Console.WriteLine("  " + example);
        }
    }
}
