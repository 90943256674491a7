namespace NodeOps.Runners.Ssh;

public enum SshRunOutcome
{
    /// <summary>The remote command ran and exited; the exit code is its own.</summary>
    Exited,

    /// <summary>The node's timeout ran out; the remote process group was signalled.</summary>
    TimedOut,

    /// <summary>The caller stopped the run (cancel, shutdown); the remote process group was signalled.</summary>
    Stopped,

    /// <summary>No connection: unreachable, refused, or the connection dropped before the command started.</summary>
    ConnectionFailed,

    /// <summary>The node presented a host key other than the pinned one.</summary>
    HostKeyMismatch,

    AuthenticationFailed,
}
