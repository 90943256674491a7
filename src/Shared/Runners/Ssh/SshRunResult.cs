namespace NodeOps.Runners.Ssh;

/// <summary>What a run produced. Output is the tail within the limit, decoded as UTF-8 with replacement characters.</summary>
public sealed record SshRunResult(
    SshRunOutcome Outcome,
    int? ExitCode,
    string Stdout,
    string Stderr,
    bool Truncated,
    TimeSpan Duration,
    int? RemoteProcessGroup,
    string? Message = null,
    string? ErrorCode = null)
{
    public const string HostKeyMismatchCode = "HOST_KEY_MISMATCH";
    public const string AuthenticationFailedCode = "SSH_AUTH_FAILED";
    public const string ConnectionFailedCode = "SSH_CONNECTION_FAILED";
}
