using System.Net;

namespace NodeOps.Storage.Azure;

/// <summary>
/// Bounded exponential backoff with jitter for the storage services' throttling (503) and internal errors (500).
/// Jitter spreads the retries of many instances that were throttled at the same moment.
/// </summary>
internal sealed record AzureRetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public static AzureRetryPolicy Default { get; } = new(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based): half the exponential step plus a random half.</summary>
    public TimeSpan DelayBefore(int retry)
    {
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry - 1));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }

    /// <summary>Answers that mean "try again later"; 502 and 504 come from gateways in front of the service.</summary>
    public static bool IsTransient(HttpStatusCode status) => status is
        HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable or
        HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout;
}
