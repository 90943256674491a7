namespace NodeOps.Schedules;

/// <summary>What a due time does while the schedule's previous run is still going.</summary>
public enum ScheduleConcurrency
{
    /// <summary>Does not start; the due time is recorded as skipped_running.</summary>
    Skip,

    /// <summary>Starts anyway.</summary>
    Allow,
}
