namespace NodeOps.Assistant;

/// <summary>This instance's agent figures since it started: turns, their time, tokens, the last provider call.</summary>
public sealed class AssistantMetrics(TimeProvider time)
{
    private long _turns;
    private long _failedTurns;
    private long _turnTicks;
    private long _promptTokens;
    private long _completionTokens;
    private long _llmCalls;
    private long _lastLlmCallTicks;

    /// <summary>When this instance's assistant started (the metrics object is created at start-up).</summary>
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public long Turns => Interlocked.Read(ref _turns);

    public long FailedTurns => Interlocked.Read(ref _failedTurns);

    public long PromptTokens => Interlocked.Read(ref _promptTokens);

    public long CompletionTokens => Interlocked.Read(ref _completionTokens);

    public long TotalTokens => PromptTokens + CompletionTokens;

    public long LlmCalls => Interlocked.Read(ref _llmCalls);

    public TimeSpan AverageTurnTime => Turns == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _turnTicks) / Turns);

    public DateTimeOffset? LastLlmCall
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastLlmCallTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public void RecordLlmCall(LlmUsage? usage, DateTimeOffset at)
    {
        Interlocked.Increment(ref _llmCalls);
        Interlocked.Exchange(ref _lastLlmCallTicks, at.UtcTicks);
        if (usage is not null)
        {
            Interlocked.Add(ref _promptTokens, usage.PromptTokens);
            Interlocked.Add(ref _completionTokens, usage.CompletionTokens);
        }
    }

    public void RecordTurn(TimeSpan duration, bool succeeded)
    {
        Interlocked.Increment(ref _turns);
        Interlocked.Add(ref _turnTicks, duration.Ticks);
        if (!succeeded)
        {
            Interlocked.Increment(ref _failedTurns);
        }
    }
}
