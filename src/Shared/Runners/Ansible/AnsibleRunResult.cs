namespace NodeOps.Runners.Ansible;

/// <summary>
/// How a run ended. <see cref="Recap"/> is the playbook's own recap, present when ansible-playbook got to the end
/// of the play; <see cref="LeftOut"/> lists hosts that failed before it started; <see cref="Unreachable"/> says why
/// hosts the playbook found unreachable were so (checked over SSH afterwards); <see cref="Error"/> says why the run
/// failed as a whole when it did (never a secret).
/// </summary>
public sealed record AnsibleRunResult(
    AnsibleRunOutcome Outcome,
    int? ExitCode,
    IReadOnlyDictionary<string, AnsibleHostRecap>? Recap,
    IReadOnlyDictionary<string, AnsibleHostFailure> LeftOut,
    string? Error,
    TimeSpan Duration)
{
    public IReadOnlyDictionary<string, AnsibleHostFailure> Unreachable { get; init; } = new Dictionary<string, AnsibleHostFailure>();

    /// <summary>After a stop: the hosts where NodeOps could not confirm that the run's processes are gone, and why.</summary>
    public IReadOnlyDictionary<string, string> StopUnconfirmed { get; init; } = new Dictionary<string, string>();
}
