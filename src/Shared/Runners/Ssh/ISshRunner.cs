namespace NodeOps.Runners.Ssh;

/// <summary>
/// The node transport port: runs one invocation on one node over SSH. Cancelling the token stops the run for
/// real: the remote process group is signalled (TERM, then KILL) and the command's channel is closed.
/// </summary>
public interface ISshRunner
{
    Task<SshRunResult> RunAsync(SshRunRequest request, CancellationToken cancellationToken = default);
}
