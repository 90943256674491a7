using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodeOps.Progress;

namespace NodeOps.Bench;

/// <summary>
/// Progress delivery latency: the server publishes RATE events/s spread over TASKS tasks, each task watched by its
/// own client, for SECONDS (after a one-second warm-up), first to SignalR hub clients (.NET client, WebSockets), then
/// to progress WebSocket clients, in the same process and run. Latency is from Publish to the client's handler, one
/// monotonic clock. The tasks are synthetic (a snapshot source that knows them), so only delivery is measured.
/// </summary>
internal static class SignalRBenchmark
{
    private const int Rounds = 2;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Math.Clamp(BenchSupport.Option(args, "--seconds", 10), 1, 120);
        var rate = Math.Clamp(BenchSupport.Option(args, "--rate", 2000), 1, 20_000);
        var tasks = Math.Clamp(BenchSupport.Option(args, "--tasks", 50), 1, 100);
        var taskIds = Enumerable.Range(0, tasks).Select(i => $"bench-task-{i}").ToArray();
        var data = Path.Combine(Path.GetTempPath(), "nodeops-bench-" + Guid.NewGuid().ToString("N"));
        var app = await BenchApp.StartAsync(data, configureServices: services =>
            services.Replace(ServiceDescriptor.Singleton<IProgressSnapshotSource>(new SyntheticTasks(taskIds))));
        try
        {
            var publisher = app.Services.GetRequiredService<IProgressPublisher>();
            var baseAddress = app.Client.BaseAddress!;
            // The transports take turns, so that a change in the machine's load falls on both alike.
            var loadBefore = LoadAverage();
            Result hub = new(0, []), socket = new(0, []);
            for (var round = 0; round < Rounds; round++)
            {
                var share = Math.Max(1, seconds / Rounds);
                hub += await MeasureAsync(new HubClients(baseAddress, app.Token), taskIds, publisher, rate, share);
                socket += await MeasureAsync(new SocketClients(baseAddress, app.Token), taskIds, publisher, rate, share);
            }

            var culture = CultureInfo.InvariantCulture;
            var table = new StringBuilder();
            table.AppendLine(culture, $"NodeOps progress delivery: {rate} events/s over {tasks} subscribed tasks for {seconds} s per transport in {Rounds} turns, one client per task, loopback ({Environment.ProcessorCount} cores, load average {loadBefore} before, {LoadAverage()} after, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription})");
            table.AppendLine("| transport                          | published | received | p50      | p99      | max      |");
            table.AppendLine("|------------------------------------|-----------|----------|----------|----------|----------|");
            Row(table, "SignalR hub (.NET client, WS)", hub);
            Row(table, "progress WebSocket (baseline)", socket);
            var p99 = BenchSupport.Percentile(hub.Latencies, 0.99);
            table.AppendLine(culture, $"target: SignalR p99 < 20 ms -> {(p99 < 20 ? "met" : "NOT met")} ({p99:0.000} ms); received < published means the outbox merged progress for a client that fell behind");
            Console.Write(table.ToString());
        }
        finally
        {
            await app.DisposeAsync();
            BenchSupport.DeleteDataFolder(data);
        }

        return 0;
    }

    private static async Task<Result> MeasureAsync(IClients clients, string[] taskIds, IProgressPublisher publisher, int rate, int seconds)
    {
        await using (clients)
        {
            var latencies = new ConcurrentBag<double>();
            long measureFrom = long.MaxValue;
            await clients.StartAsync(taskIds, (sentAt, receivedAt) =>
            {
                if (sentAt >= Volatile.Read(ref measureFrom))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sentAt, receivedAt).TotalMilliseconds);
                }
            });

            var total = (long)rate * (seconds + (int)Warmup.TotalSeconds);
            var published = 0L;
            var measured = 0L;
            var run = Task.Factory.StartNew(() =>
            {
                var start = Stopwatch.GetTimestamp();
                while (published < total)
                {
                    var elapsed = Stopwatch.GetElapsedTime(start);
                    if (elapsed >= Warmup && measureFrom == long.MaxValue)
                    {
                        Volatile.Write(ref measureFrom, Stopwatch.GetTimestamp());
                    }

                    var due = Math.Min(total, (long)(elapsed.TotalSeconds * rate));
                    for (; published < due; published++)
                    {
                        var taskId = taskIds[published % taskIds.Length];
                        var now = Stopwatch.GetTimestamp();
                        publisher.Publish(new ProgressEvent
                        {
                            TaskId = taskId,
                            Type = ProgressEventTypes.Progress,
                            Current = (int)(published / taskIds.Length) + 1,
                            Total = int.MaxValue,
                            Data = new Dictionary<string, long> { ["sent"] = now },
                            Timestamp = DateTimeOffset.UtcNow,
                        });
                        if (now >= measureFrom)
                        {
                            measured++;
                        }
                    }

                    Thread.Sleep(1);
                }
            }, TaskCreationOptions.LongRunning);
            await run;
            // Let the last events arrive.
            await Task.Delay(TimeSpan.FromSeconds(1));
            return new Result(measured, [.. latencies]);
        }
    }

    private static void Row(StringBuilder table, string name, Result result)
    {
        var values = result.Latencies;
        if (values.Count == 0)
        {
            throw new InvalidOperationException($"{name}: no event arrived");
        }

        table.AppendLine(CultureInfo.InvariantCulture,
            $"| {name,-34} | {result.Published,9} | {values.Count,8} | {BenchSupport.Percentile(values, 0.5),6:0.000}ms | {BenchSupport.Percentile(values, 0.99),6:0.000}ms | {values.Max(),6:0.000}ms |");
    }

    private static long SentAt(JsonElement progressEvent) =>
        progressEvent.GetProperty("data").TryGetProperty("sent", out var sent) ? sent.GetInt64() : 0;

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private sealed record Result(long Published, List<double> Latencies)
    {
        public static Result operator +(Result a, Result b) => new(a.Published + b.Published, [.. a.Latencies, .. b.Latencies]);
    }

    private interface IClients : IAsyncDisposable
    {
        /// <summary>Connects one client per task, subscribes, and returns once every snapshot has arrived.</summary>
        Task StartAsync(string[] taskIds, Action<long, long> onProgress);
    }

    private sealed class HubClients(Uri baseAddress, string token) : IClients
    {
        private readonly List<HubConnection> _connections = [];

        public async Task StartAsync(string[] taskIds, Action<long, long> onProgress)
        {
            var snapshots = new CountdownEvent(taskIds.Length);
            foreach (var taskId in taskIds)
            {
                var connection = new HubConnectionBuilder()
                    .WithUrl(new Uri(baseAddress, "api/v1/hubs/progress"), o =>
                    {
                        o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                        o.Transports = HttpTransportType.WebSockets;
                        o.SkipNegotiation = true;
                    })
                    .Build();
                connection.On<JsonElement>("progress", e =>
                {
                    var received = Stopwatch.GetTimestamp();
                    if (e.GetProperty("type").GetString() == ProgressEventTypes.Snapshot)
                    {
                        snapshots.Signal();
                    }
                    else
                    {
                        onProgress(SentAt(e), received);
                    }
                });
                await connection.StartAsync();
                await connection.InvokeAsync("Subscribe", taskId);
                _connections.Add(connection);
            }

            if (!snapshots.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new InvalidOperationException("not every hub client got its snapshot");
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var connection in _connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private sealed class SocketClients(Uri baseAddress, string token) : IClients
    {
        private readonly List<ClientWebSocket> _sockets = [];
        private readonly List<Task> _readers = [];
        private readonly CancellationTokenSource _stop = new();

        public async Task StartAsync(string[] taskIds, Action<long, long> onProgress)
        {
            var snapshots = new CountdownEvent(taskIds.Length);
            foreach (var taskId in taskIds)
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(new Uri($"ws://{baseAddress.Authority}/api/v1/progress/ws?token={token}"), CancellationToken.None);
                await socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { action = "subscribe", task_id = taskId })), WebSocketMessageType.Text, true, CancellationToken.None);
                _sockets.Add(socket);
                _readers.Add(ReadAsync(socket, snapshots, onProgress));
            }

            if (!snapshots.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new InvalidOperationException("not every WebSocket client got its snapshot");
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_readers).ContinueWith(_ => { }, TaskScheduler.Default);
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }

            _stop.Dispose();
        }

        private async Task ReadAsync(ClientWebSocket socket, CountdownEvent snapshots, Action<long, long> onProgress)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var length = 0;
                    ValueWebSocketReceiveResult received;
                    do
                    {
                        received = await socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                        length += received.Count;
                    }
                    while (!received.EndOfMessage);
                    var at = Stopwatch.GetTimestamp();
                    using var message = JsonDocument.Parse(buffer.AsMemory(0, length));
                    if (message.RootElement.GetProperty("type").GetString() == ProgressEventTypes.Snapshot)
                    {
                        snapshots.Signal();
                    }
                    else
                    {
                        onProgress(SentAt(message.RootElement), at);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }
        }
    }

    /// <summary>Tasks that exist for the benchmark only: each is running, nothing finished.</summary>
    private sealed class SyntheticTasks(string[] taskIds) : IProgressSnapshotSource
    {
        private readonly HashSet<string> _known = [.. taskIds];

        public Task<ProgressSnapshot?> GetSnapshotAsync(string taskId, CancellationToken cancellationToken = default) =>
            Task.FromResult(_known.Contains(taskId)
                ? new ProgressSnapshot(new ProgressEvent { TaskId = taskId, Type = ProgressEventTypes.Snapshot, Total = int.MaxValue, Data = new Dictionary<string, long>(), Timestamp = DateTimeOffset.UtcNow }, false, "running")
                : null);
    }
}
