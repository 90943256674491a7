using NodeOps.Runners.Ansible;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// One host of a playbook run as the callback events tell it so far: its recap counts, the task it is on, and,
/// once it failed, which task failed and why. Replaced by the playbook's own recap when the play ends.
/// </summary>
public sealed record AnsibleHostState
{
    public AnsibleHostRecap Recap { get; init; } = new();

    /// <summary>The task the host started last.</summary>
    public string? Task { get; init; }

    /// <summary>The last task result: ok, changed, failed, ignored, skipped, unreachable.</summary>
    public string? LastResult { get; init; }

    /// <summary>True once a task failed (not ignored) or the host became unreachable.</summary>
    public bool Failed { get; init; }

    public bool Unreachable { get; init; }

    public string? FailedTask { get; init; }

    /// <summary>The failure's message, or the last message a task gave.</summary>
    public string? Message { get; init; }
}
