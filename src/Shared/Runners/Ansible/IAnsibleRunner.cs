namespace NodeOps.Runners.Ansible;

/// <summary>
/// Runs a playbook with the real ansible-playbook. Cancelling the token stops the run for real: the whole process
/// group is stopped (SIGTERM, then SIGKILL) and the run's private folder removed.
/// </summary>
public interface IAnsibleRunner
{
    Task<AnsibleRunResult> RunAsync(AnsibleRunRequest request, IAnsibleRunObserver observer, CancellationToken cancellationToken = default);
}
