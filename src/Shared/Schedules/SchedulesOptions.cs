namespace NodeOps.Schedules;

/// <summary>Settings of the "Schedules" section.</summary>
public sealed record SchedulesOptions
{
    public const string Section = "Schedules";

    /// <summary>Whether this instance's in-process scheduler evaluates schedules (the Functions host uses its timer instead).</summary>
    public bool SchedulerEnabled { get; init; } = true;

    /// <summary>The longest the in-process scheduler sleeps between evaluations; it also wakes at the next due time.</summary>
    public TimeSpan EvaluationInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A due time older than this when it is evaluated is late: its window is checked at the moment it fires.</summary>
    public TimeSpan MissedAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Missed due times recorded per schedule and evaluation at most (the latest ones); older ones are not listed.</summary>
    public int MaxMissedRecorded { get; init; } = 100;

    /// <summary>How far back an evaluation looks for due times after downtime.</summary>
    public TimeSpan MaxCatchUp { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// A run still `starting` after this long was claimed by an instance that stopped before it recorded the outcome;
    /// the evaluator settles it (`started` when its execution exists, else `failed_to_start`).
    /// </summary>
    public TimeSpan StartingTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The file whose presence on a node means it needs a reboot (Debian and Ubuntu write it). The node's shell expands
    /// variables in it ($HOME, ${VAR}); nothing else is allowed in it.
    /// </summary>
    public string RebootSentinelPath { get; init; } = "/var/run/reboot-required";

    /// <summary>How long a reboot_required check may take on one node.</summary>
    public TimeSpan SelectorCheckTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
