using NodeOps.Functions.Http;

namespace NodeOps.Tests.Http;

public sealed class RequestMetricsTests
{
    [Fact]
    public void Snapshot_Empty_IsZeros()
    {
        var snapshot = new RequestMetrics().Snapshot();

        Assert.Equal(0, snapshot.Total);
        Assert.Equal(TimeSpan.Zero, snapshot.P99);
        Assert.Equal(100, snapshot.SuccessRate);
    }

    [Fact]
    public void Snapshot_PercentilesComeFromTheHistogram_WithinItsResolution()
    {
        var metrics = new RequestMetrics();
        for (var i = 1; i <= 1000; i++)
        {
            metrics.Record(TimeSpan.FromMilliseconds(i), i % 10 == 0 ? 500 : 200);
        }

        var snapshot = metrics.Snapshot();

        Assert.Equal(1000, snapshot.Total);
        Assert.Equal(100, snapshot.Failed);
        Assert.Equal(90.0, snapshot.SuccessRate, precision: 6);
        Assert.InRange(snapshot.P95.TotalMilliseconds, 950 * 0.9, 950 * 1.1);
        Assert.InRange(snapshot.P99.TotalMilliseconds, 990 * 0.9, 990 * 1.1);
        Assert.InRange(snapshot.Average.TotalMilliseconds, 500, 501);
    }

    [Fact]
    public void Snapshot_SkewedDistribution_TailIsVisible()
    {
        var metrics = new RequestMetrics();
        for (var i = 0; i < 970; i++)
        {
            metrics.Record(TimeSpan.FromMilliseconds(5), 200);
        }

        for (var i = 0; i < 30; i++)
        {
            metrics.Record(TimeSpan.FromSeconds(8), 200);
        }

        var snapshot = metrics.Snapshot();

        Assert.InRange(snapshot.P95.TotalMilliseconds, 4.5, 5.5);
        Assert.InRange(snapshot.P99.TotalMilliseconds, 8000 * 0.9, 8000 * 1.1);
    }

    [Fact]
    public void Snapshot_ClientErrorsAreCountedApartFromFailures()
    {
        var metrics = new RequestMetrics();
        metrics.Record(TimeSpan.FromMilliseconds(3), 200);
        metrics.Record(TimeSpan.FromMilliseconds(3), 401);
        metrics.Record(TimeSpan.FromMilliseconds(3), 404);
        metrics.Record(TimeSpan.FromMilliseconds(3), 503);

        var snapshot = metrics.Snapshot();

        Assert.Equal(4, snapshot.Total);
        Assert.Equal(1, snapshot.Succeeded);
        Assert.Equal(2, snapshot.ClientErrors);
        Assert.Equal(1, snapshot.Failed);
        Assert.Equal(75.0, snapshot.SuccessRate, precision: 6);
    }
}
