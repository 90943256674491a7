namespace NodeOps.Executions;

/// <summary>Bound from the "Executions" section: how the engine leases, fans out and keeps history.</summary>
public sealed class ExecutionsOptions
{
    public const string Section = "Executions";

    /// <summary>The work queue every instance's dispatcher leases from.</summary>
    public string Queue { get; set; } = "nodeops-executions";

    /// <summary>Whether this instance runs a dispatcher (an API-only instance may not).</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>Nodes one work item runs at once; an execution is cut into enough items to reach its max_concurrent.</summary>
    public int LaneSize { get; set; } = 25;

    /// <summary>Work items this instance runs at once.</summary>
    public int MaxConcurrentWorkItems { get; set; } = 16;

    /// <summary>How long a leased item stays invisible; renewed while it runs. After a crash, another instance takes it over after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often an idle dispatcher looks at the queue (a submission on this instance wakes it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a running item reads its execution to notice a cancel made on another instance.</summary>
    public TimeSpan CancelPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>On shutdown, how long running nodes may finish before they are stopped and recorded as interrupted.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Days a finished execution's history and output are kept.</summary>
    public int RetentionDays { get; set; } = 30;

    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A work item whose execution row never appeared (its submitter died) is dropped after this.</summary>
    public TimeSpan OrphanItemAge { get; set; } = TimeSpan.FromMinutes(2);
}
