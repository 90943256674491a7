using Microsoft.Extensions.Logging;
using NodeOps.Runners.Ssh;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// Stops what a cancelled or timed-out run left running on its nodes. Killing ansible-playbook stops nothing
/// remote: a task's processes have no tty, so no hangup reaches them. Every ssh session of a run carries
/// LC_NODEOPS_RUN={tag} (SetEnv; distro sshd configs accept LC_*), which the task's processes inherit, so the
/// run's own process groups can be found on the node and signalled, TERM then KILL, and nothing else.
/// </summary>
internal sealed class AnsibleRemoteStop(ISshRunner ssh, ILogger<AnsibleRemoteStop> logger)
{
    public const string Variable = "LC_NODEOPS_RUN";
    private static readonly TimeSpan PerNode = TimeSpan.FromSeconds(15);

    public async Task StopAsync(AnsibleRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var slots = new SemaphoreSlim(Math.Max(1, request.Forks));
        var invocation = RemoteInvocation.ForCommand(Script(request.RunTag));
        await Task.WhenAll(request.Hosts.Select(async host =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var target = new SshTarget(request.ClusterName, host.Name, host.Address, host.Port, request.Credential);
                var result = await ssh.RunAsync(new SshRunRequest(target, invocation, PerNode, 4096), cancellationToken).ConfigureAwait(false);
                if (result.Outcome != SshRunOutcome.Exited)
                {
                    Log.RemoteStopFailed(logger, request.ClusterName, host.Name, result.Outcome.ToString());
                }
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);
    }

    /// <summary>
    /// POSIX sh: signal the process group of every process whose environment holds the run's tag. Processes the
    /// login user may not read (tasks that became root) are out of its reach, and left alone.
    /// </summary>
    internal static string Script(string runTag)
    {
        if (runTag.Length == 0 || !runTag.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("A run tag is letters and digits.", nameof(runTag));
        }

        return $$"""
            tag='{{Variable}}={{runTag}}'; found=0
            stop() {
              for d in /proc/[0-9]*; do
                p=${d#/proc/}
                [ "$p" = "$$" ] && continue
                tr '\0' '\n' < "$d/environ" 2>/dev/null | grep -qxF "$tag" || continue
                s=$(cat "$d/stat" 2>/dev/null) || continue
                s=${s##*) }
                set -- $s
                [ "$3" -gt 1 ] 2>/dev/null || continue
                found=1
                kill -"$sig" -- "-$3" 2>/dev/null || kill -"$sig" "$p" 2>/dev/null
              done
            }
            sig=TERM; stop
            if [ "$found" = 1 ]; then sleep 1; sig=KILL; stop; fi
            exit 0
            """;
    }
}
