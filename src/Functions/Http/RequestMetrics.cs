using System.Diagnostics;

namespace NodeOps.Functions.Http;

/// <summary>A moment's view of the request figures.</summary>
internal sealed record RequestMetricsSnapshot(long Total, long Succeeded, long Failed, TimeSpan Average, TimeSpan P95, TimeSpan P99)
{
    /// <summary>Share of requests answered below 400, in percent; 100 when there were none.</summary>
    public double SuccessRate => Total == 0 ? 100 : 100.0 * Succeeded / Total;
}

/// <summary>
/// Counts every request this instance answered and keeps their durations in a log-scale histogram (buckets growing
/// by 10%, 0.1 ms to about 20 minutes), so p95/p99 come from the histogram with bounded memory and about 5% error.
/// Success means a status below 400. Lock-free: one Interlocked add per request.
/// </summary>
internal sealed class RequestMetrics
{
    private const double FirstBoundMs = 0.1;
    private const double Growth = 1.1;
    private static readonly int BucketCount = (int)Math.Ceiling(Math.Log(1_200_000 / FirstBoundMs) / Math.Log(Growth)) + 1;
    private readonly long[] _buckets = new long[BucketCount + 1];
    private long _total;
    private long _failed;
    private long _ticks;

    public void Record(TimeSpan duration, int status)
    {
        Interlocked.Increment(ref _total);
        Interlocked.Add(ref _ticks, duration.Ticks);
        if (status >= 400)
        {
            Interlocked.Increment(ref _failed);
        }

        Interlocked.Increment(ref _buckets[BucketOf(duration.TotalMilliseconds)]);
    }

    public RequestMetricsSnapshot Snapshot()
    {
        var counts = new long[_buckets.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _buckets[i]);
        }

        var total = Interlocked.Read(ref _total);
        var failed = Interlocked.Read(ref _failed);
        var average = total == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _ticks) / total);
        return new RequestMetricsSnapshot(total, total - failed, failed, average, Percentile(counts, 0.95), Percentile(counts, 0.99));
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
            Record(Stopwatch.GetElapsedTime(started), status);
        }
    }

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
