namespace NodeOps.Executions;

/// <summary>How a work item ended, as its handler reports it.</summary>
public sealed record WorkItemOutcome
{
    private WorkItemOutcome(WorkItemOutcomeKind kind, TimeSpan delay)
    {
        Kind = kind;
        Delay = delay;
    }

    public WorkItemOutcomeKind Kind { get; }

    public TimeSpan Delay { get; }

    /// <summary>The item's work is finished; the engine fans in and may finalize the execution.</summary>
    public static WorkItemOutcome Done { get; } = new(WorkItemOutcomeKind.Done, TimeSpan.Zero);

    /// <summary>The item stopped early (this instance is stopping); the lane is run again at once, on whichever instance takes it.</summary>
    public static WorkItemOutcome Released { get; } = new(WorkItemOutcomeKind.Released, TimeSpan.Zero);

    /// <summary>The item cannot start yet (e.g. a global limit is reached); it comes back after the delay.</summary>
    public static WorkItemOutcome Defer(TimeSpan delay) => new(WorkItemOutcomeKind.Deferred, delay);
}

public enum WorkItemOutcomeKind
{
    Done,
    Released,
    Deferred,
}
