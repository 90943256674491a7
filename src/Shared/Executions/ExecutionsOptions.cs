namespace NodeOps.Executions;

/// <summary>Bound from the "Executions" section: how executions fan out, notice cancels and keep history.</summary>
public sealed class ExecutionsOptions
{
    public const string Section = "Executions";

    /// <summary>Whether this instance runs executions (an API-only instance does not: it only starts and reads them).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>Nodes one lane runs at once; an execution is cut into enough lanes to reach its max_concurrent.</summary>
    public int LaneSize { get; set; } = 25;

    /// <summary>Lanes (and other execution activities) this instance runs at once.</summary>
    public int MaxConcurrentLanes { get; set; } = 16;

    /// <summary>
    /// How often a running lane reads its execution to notice a cancel made on another instance: the half second
    /// leaves room for the read itself, so such a cancel is seen within a second.
    /// </summary>
    public TimeSpan CancelPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>On shutdown, how long running nodes may finish before they are stopped and recorded as interrupted.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Days a finished execution's history and output are kept.</summary>
    public int RetentionDays { get; set; } = 30;

    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a lane of a kind this instance does not know waits before it is tried again (a newer instance may know it).</summary>
    public TimeSpan UnknownKindRetry { get; set; } = TimeSpan.FromSeconds(30);
}
