namespace NodeOps.Runners.Ssh;

/// <summary>A master connection could not be opened; the message is safe to store (no secrets, no local paths).</summary>
internal sealed class SshConnectException(SshRunOutcome outcome, string errorCode, string message) : Exception(message)
{
    public SshRunOutcome Outcome { get; } = outcome;

    public string ErrorCode { get; } = errorCode;
}
