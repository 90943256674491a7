namespace NodeOps.Runners.Ansible;

/// <summary>
/// One line of the NodeOps callback plugin (callback/nodeops_events.py): a play or task starting, a host starting
/// or finishing a task, or the final recap. Which fields are set depends on <see cref="Event"/>.
/// </summary>
public sealed record AnsibleEvent
{
    public const string PlaybookStart = "playbook_start";
    public const string PlayStart = "play_start";
    public const string TaskStart = "task_start";
    public const string HostStart = "host_start";
    public const string HostResult = "host_result";
    public const string HostRetry = "host_retry";
    public const string Stats = "stats";
    public const string NoHostsMatched = "no_hosts_matched";

    /// <summary>Schema version of the plugin's lines.</summary>
    public int V { get; init; }

    public string Event { get; init; } = "";

    /// <summary>Seconds since the Unix epoch, as the plugin saw it.</summary>
    public double Ts { get; init; }

    public string? Play { get; init; }

    public bool? CheckMode { get; init; }

    public string? Task { get; init; }

    public string? Uuid { get; init; }

    public bool? Handler { get; init; }

    public string? Host { get; init; }

    /// <summary>For host_result: ok, changed, failed, ignored (failed with ignore_errors), skipped or unreachable.</summary>
    public string? Status { get; init; }

    public bool? Changed { get; init; }

    public int? Rc { get; init; }

    public string? Message { get; init; }

    public int? Pid { get; init; }

    public int? Pgid { get; init; }

    /// <summary>For stats: the recap per host.</summary>
    public IReadOnlyDictionary<string, AnsibleHostRecap>? Hosts { get; init; }
}
