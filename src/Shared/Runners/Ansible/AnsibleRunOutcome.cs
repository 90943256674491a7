namespace NodeOps.Runners.Ansible;

public enum AnsibleRunOutcome
{
    /// <summary>ansible-playbook ran and exited on its own; its exit code and recap tell how it went.</summary>
    Exited,

    /// <summary>The run's timeout ran out; the whole process group was stopped.</summary>
    TimedOut,

    /// <summary>The caller stopped the run (cancel, shutdown); the whole process group was stopped.</summary>
    Stopped,

    /// <summary>ansible-playbook never ran: it could not be started, or no host could be reached.</summary>
    NotStarted,
}
