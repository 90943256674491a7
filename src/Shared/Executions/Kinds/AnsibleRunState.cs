namespace NodeOps.Executions.Kinds;

/// <summary>
/// A playbook run's own state beside the engine's node rows: the play and task it is on, each host's progress and
/// recap, and how much output there is. Written while the run goes (so status reads show it live) and when it ends.
/// </summary>
public sealed record AnsibleRunState
{
    public string? Play { get; init; }

    public string? Task { get; init; }

    public int TasksStarted { get; init; }

    public IReadOnlyDictionary<string, AnsibleHostState> Hosts { get; init; } = new Dictionary<string, AnsibleHostState>();

    /// <summary>True when <see cref="Hosts"/> carry the playbook's own recap (the play ran to its end).</summary>
    public bool RecapFinal { get; init; }

    /// <summary>Characters of output written in all (the end offset of the output).</summary>
    public long OutputChars { get; init; }

    /// <summary>The offset of the first character still stored; older output was dropped to keep the tail.</summary>
    public long OutputStart { get; init; }

    public int? ExitCode { get; init; }

    /// <summary>The ansible-playbook process group while it ran (for operators).</summary>
    public int? ProcessGroup { get; init; }
}
