using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;

namespace NodeOps.Functions.Http;

/// <summary>A moment's view of the request figures.</summary>
/// <param name="Total">Requests answered, long-lived connections excluded.</param>
/// <param name="Succeeded">Answered below 400.</param>
/// <param name="ClientErrors">Answered 4xx: the caller's mistake (bad input, no token, not found), not a failure.</param>
/// <param name="Failed">Answered 5xx, or threw: the server failed.</param>
/// <param name="LongLived">WebSocket, server-sent-event and SignalR connections that ended; counted apart, never timed.</param>
internal sealed record RequestMetricsSnapshot(long Total, long Succeeded, long ClientErrors, long Failed, long LongLived, TimeSpan Average, TimeSpan P95, TimeSpan P99)
{
    /// <summary>Share of requests the server did not fail (below 500), in percent; 100 when there were none.</summary>
    public double SuccessRate => Total == 0 ? 100 : 100.0 * (Total - Failed) / Total;
}

/// <summary>
/// Counts every request this instance answered and keeps their durations in a log-scale histogram (buckets growing
/// by 10%, 0.1 ms to about 20 minutes), so p95/p99 come from the histogram with bounded memory and about 5% error.
/// A WebSocket, an event stream or a SignalR hub connection lasts as long as the client stays, so it is counted
/// apart and kept out of the histogram: one idle socket would otherwise become everyone's p99.
/// Lock-free: a few Interlocked adds per request.
/// </summary>
internal sealed class RequestMetrics
{
    private const double FirstBoundMs = 0.1;
    private const double Growth = 1.1;
    private static readonly int BucketCount = (int)Math.Ceiling(Math.Log(1_200_000 / FirstBoundMs) / Math.Log(Growth)) + 1;
    private readonly long[] _buckets = new long[BucketCount + 1];
    private long _total;
    private long _clientErrors;
    private long _failed;
    private long _longLived;
    private long _ticks;

    public void Record(TimeSpan duration, int status)
    {
        Interlocked.Increment(ref _total);
        Interlocked.Add(ref _ticks, duration.Ticks);
        if (status >= 500)
        {
            Interlocked.Increment(ref _failed);
        }
        else if (status >= 400)
        {
            Interlocked.Increment(ref _clientErrors);
        }

        Interlocked.Increment(ref _buckets[BucketOf(duration.TotalMilliseconds)]);
    }

    /// <summary>A long-lived connection ended; its duration says how long the client stayed, not how fast we answered.</summary>
    public void RecordLongLived() => Interlocked.Increment(ref _longLived);

    public RequestMetricsSnapshot Snapshot()
    {
        var counts = new long[_buckets.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _buckets[i]);
        }

        var total = Interlocked.Read(ref _total);
        var clientErrors = Interlocked.Read(ref _clientErrors);
        var failed = Interlocked.Read(ref _failed);
        var average = total == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _ticks) / total);
        return new RequestMetricsSnapshot(total, total - clientErrors - failed, clientErrors, failed, Interlocked.Read(ref _longLived),
            average, Percentile(counts, 0.95), Percentile(counts, 0.99));
    }

    /// <summary>Middleware body: times the rest of the pipeline, whatever it answers or throws.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var status = 500;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            if (IsLongLived(context))
            {
                RecordLongLived();
            }
            else
            {
                Record(Stopwatch.GetElapsedTime(started), status);
            }
        }
    }

    /// <summary>Known once the pipeline ran: a WebSocket was accepted (101, or 200 over HTTP/2), the route is a hub, or the answer was an event stream.</summary>
    private static bool IsLongLived(HttpContext context) =>
        (context.WebSockets.IsWebSocketRequest && context.Response.StatusCode is StatusCodes.Status101SwitchingProtocols or StatusCodes.Status200OK)
        || context.GetEndpoint()?.Metadata.GetMetadata<HubMetadata>() is not null
        || (context.Response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) ?? false);

    private static int BucketOf(double ms) =>
        ms <= FirstBoundMs ? 0 : Math.Min(BucketCount, 1 + (int)Math.Floor(Math.Log(ms / FirstBoundMs) / Math.Log(Growth)));

    private static double LowerBound(int bucket) => bucket == 0 ? 0 : FirstBoundMs * Math.Pow(Growth, bucket - 1);

    private static double UpperBound(int bucket) => FirstBoundMs * Math.Pow(Growth, bucket);

    /// <summary>The duration below which the given share of requests fell, interpolated inside its bucket.</summary>
    private static TimeSpan Percentile(long[] counts, double quantile)
    {
        var total = counts.Sum();
        if (total == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = quantile * total;
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }

            if (seen + counts[i] >= rank)
            {
                var within = (rank - seen) / counts[i];
                var ms = LowerBound(i) + ((UpperBound(i) - LowerBound(i)) * within);
                return TimeSpan.FromMilliseconds(ms);
            }

            seen += counts[i];
        }

        return TimeSpan.FromMilliseconds(UpperBound(counts.Length - 1));
    }
}
