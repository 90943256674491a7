namespace NodeOps.Workflows.Runs;

/// <summary>Settings of workflow runs (section "Workflows").</summary>
public sealed class WorkflowRunsOptions
{
    public const string Section = "Workflows";

    /// <summary>What a reboot step runs on the node. Tests use a harmless stand-in.</summary>
    public string RebootCommand { get; set; } = "systemctl reboot";

    /// <summary>Prints the node's boot id; a reboot step waits until it changes.</summary>
    public string BootIdCommand { get; set; } = "cat /proc/sys/kernel/random/boot_id";

    /// <summary>How often a reboot or wait_ready step looks at the node again.</summary>
    public TimeSpan NodePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A drain's first wait after a PodDisruptionBudget refused (it doubles each round, up to 30 s).</summary>
    public TimeSpan DrainRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a drain lists the node's pods while evicted pods terminate.</summary>
    public TimeSpan DrainPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Steps default to this per-node timeout when they name none (seconds).</summary>
    public int DefaultStepTimeoutSeconds { get; set; } = 600;

    /// <summary>A running step's progress line is written to the store at most this often.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
