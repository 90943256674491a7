namespace NodeOps.Assistant;

public enum LlmFailure
{
    /// <summary>Unreachable, timed out or 5xx after the retries.</summary>
    Unavailable,

    /// <summary>The provider answered 429.</summary>
    RateLimited,

    /// <summary>The provider rejected the key (401/403).</summary>
    InvalidKey,

    /// <summary>The provider rejected the request itself (400, 404 for an unknown model, ...).</summary>
    Rejected,
}

/// <summary>A provider call failed. The message is ours, never the provider's body, so it cannot echo a key.</summary>
public sealed class LlmException(LlmFailure failure, string provider, int? status, string message, int? retryAfterSeconds = null, Exception? inner = null)
    : Exception(message, inner)
{
    public LlmFailure Failure { get; } = failure;

    public string Provider { get; } = provider;

    public int? Status { get; } = status;

    public int? RetryAfterSeconds { get; } = retryAfterSeconds;
}
