namespace NodeOps.Executions;

/// <summary>How a lane ended, as its kind's handler reports it and its activity tells the orchestration: done, or call again after <see cref="RetryAfter"/>.</summary>
public sealed record LaneOutcome(bool IsDone, TimeSpan RetryAfter)
{
    public static LaneOutcome Done { get; } = new(true, TimeSpan.Zero);

    /// <summary>Stopped early because this instance is stopping: the lane is called again at once, on whichever instance takes it.</summary>
    public static LaneOutcome Again { get; } = new(false, TimeSpan.Zero);

    /// <summary>Cannot start yet (a limit across instances is reached): the lane is called again after the delay.</summary>
    public static LaneOutcome After(TimeSpan delay) => new(false, delay);
}
