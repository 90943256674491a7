namespace NodeOps.Runners.Ssh;

/// <summary>
/// What a run produced. Output is the tail within the limit, decoded as UTF-8 with replacement characters. A command
/// ended by a signal has no exit code but <see cref="ExitSignal"/> (as the node named it: "KILL", "TERM", …).
/// </summary>
public sealed record SshRunResult(
    SshRunOutcome Outcome,
    int? ExitCode,
    string Stdout,
    string Stderr,
    bool Truncated,
    TimeSpan Duration,
    int? RemoteProcessGroup,
    string? Message = null,
    string? ErrorCode = null,
    string? ExitSignal = null)
{
    public const string HostKeyMismatchCode = "HOST_KEY_MISMATCH";
    public const string AuthenticationFailedCode = "SSH_AUTH_FAILED";
    public const string ConnectionFailedCode = "SSH_CONNECTION_FAILED";
}
