namespace NodeOps.Executions;

/// <summary>What a lane activity tells the orchestration: done, or call again after <see cref="RetryAfter"/>.</summary>
public sealed record LaneOutcome(bool IsDone, TimeSpan RetryAfter)
{
    public static LaneOutcome Done { get; } = new(true, TimeSpan.Zero);

    public static LaneOutcome After(TimeSpan delay) => new(false, delay);
}
