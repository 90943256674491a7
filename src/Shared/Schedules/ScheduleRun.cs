namespace NodeOps.Schedules;

/// <summary>What happened at one due time of a schedule (or one run-now).</summary>
public enum ScheduleRunStatus
{
    /// <summary>
    /// Claimed by an instance that is starting it; moves on to one of the others within moments, or, when that
    /// instance stopped first, after Schedules:StartingTimeout (see <see cref="ScheduleEvaluator"/>).
    /// </summary>
    Starting,
    Started,
    SkippedWindow,
    SkippedRunning,

    /// <summary>The nodes selector matched no node (for reboot_required: no node needs a reboot).</summary>
    SkippedNoNodes,
    FailedToStart,

    /// <summary>The due time passed while no instance was evaluating schedules (downtime).</summary>
    Missed,
}

/// <summary>What made the due time: the cron expression or an admin's run-now.</summary>
public enum ScheduleTrigger
{
    Cron,
    RunNow,
}

/// <summary>One due time's row; at most one per schedule, due time and trigger, which is how a fire is claimed.</summary>
public sealed record ScheduleRun
{
    public required long ScheduleId { get; init; }

    public required DateTimeOffset DueTime { get; init; }

    public ScheduleTrigger Trigger { get; init; } = ScheduleTrigger.Cron;

    public ScheduleRunStatus Status { get; init; }

    /// <summary>The execution's task id (also its orchestration instance id), derived from the schedule and the due time.</summary>
    public string? TaskId { get; init; }

    public string? Reason { get; init; }

    /// <summary>The nodes the run was started on, when a selector chose them.</summary>
    public IReadOnlyList<string>? Nodes { get; init; }

    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>Which NodeOps instance recorded it.</summary>
    public string Instance { get; init; } = "";
}
