using System.ClientModel.Primitives;

namespace NodeOps.Assistant;

/// <summary>
/// Retries timeouts, connection failures and 5xx with exponential backoff and jitter, a bounded number of times.
/// A 429 is not retried here: the caller gets RATE_LIMITED at once, with the provider's Retry-After.
/// </summary>
internal sealed class LlmRetryPolicy(int maxRetries, TimeSpan baseDelay) : ClientRetryPolicy(maxRetries)
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    protected override bool ShouldRetry(PipelineMessage message, Exception? exception) =>
        Retriable(message, exception) && base.ShouldRetry(message, exception);

    protected override async ValueTask<bool> ShouldRetryAsync(PipelineMessage message, Exception? exception) =>
        Retriable(message, exception) && await base.ShouldRetryAsync(message, exception).ConfigureAwait(false);

    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount)
    {
        var exponential = baseDelay * Math.Pow(2, Math.Max(0, tryCount - 1));
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromTicks((long)Math.Min(MaxDelay.Ticks, exponential.Ticks * jitter));
    }

    private static bool Retriable(PipelineMessage message, Exception? exception)
    {
        if (message.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (exception is not null)
        {
            return true;
        }

        return message.Response?.Status is 408 or >= 500;
    }
}
