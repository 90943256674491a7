using System.Text.Json.Nodes;

namespace NodeOps.Schedules;

/// <summary>A schedule as stored. <see cref="Target"/> is the target as given (type, selector, execute body) but for its parameter values, kept sealed.</summary>
public sealed record ScheduleRecord
{
    public required long Id { get; init; }

    public required string Name { get; init; }

    public required string Cron { get; init; }

    public string Timezone { get; init; } = "UTC";

    public bool Enabled { get; init; } = true;

    public ScheduleWindow? Window { get; init; }

    public ScheduleConcurrency Concurrency { get; init; } = ScheduleConcurrency.Skip;

    public required JsonObject Target { get; init; }

    /// <summary>The script target's parameter values, encrypted (<see cref="ScheduleSecrets"/>).</summary>
    public string? SealedParameters { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string CreatedBy { get; init; } = "";

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The admin who last saved it: fires run as this user.</summary>
    public long UpdatedById { get; init; }

    public string UpdatedBy { get; init; } = "";

    /// <summary>
    /// Due times at or before this are not the schedule's to fire or to count as missed: set when it is created,
    /// enabled again, or given another cron or time zone.
    /// </summary>
    public DateTimeOffset ActiveSince { get; init; }
}
