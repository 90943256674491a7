namespace NodeOps.Orchestration.Sqlite;

/// <summary>How the SQLite orchestration store leases work and how often an idle worker looks for more.</summary>
public sealed record SqliteOrchestrationOptions(string Path)
{
    /// <summary>How long a process holds an instance or an activity before another process may take it over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest an idle worker waits before looking at the file again (work from other processes, timers).</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public int MaxConcurrentActivities { get; init; } = 100;

    public int MaxConcurrentOrchestrations { get; init; } = 20;

    /// <summary>Activity work items taken in one statement; the ones not started yet wait in memory under their lease.</summary>
    public int ActivityBatchSize { get; init; } = 16;
}
