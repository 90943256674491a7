using System.Collections.Concurrent;
using Microsoft.DurableTask;
using NodeOps.Executions;

// Stand-ins named like the engine's activities, so the real ExecutionOrchestrator calls them: they record what the
// orchestrator asked for and answer "wait an hour", which only a cancel can cut short.
namespace NodeOps.Tests.Executions.Orchestrator;

/// <summary>What the orchestrator asked of its activities, and whether the "store" holds a cancel.</summary>
public sealed class StandInLog
{
    public static readonly TimeSpan LongWait = TimeSpan.FromHours(1);

    private int _admitCalls;
    private int _finalizeCalls;
    private volatile bool _cancelRecorded;

    /// <summary>What the execution's row would say: the stand-in admission answers "go" once it is set.</summary>
    public bool CancelRecorded
    {
        get => _cancelRecorded;
        set => _cancelRecorded = value;
    }

    /// <summary>When set, admission keeps answering "wait" until a cancel is recorded (an Ansible queue that never moves).</summary>
    public bool AdmissionBlocked { get; init; }

    public int AdmitCalls => Volatile.Read(ref _admitCalls);

    public int FinalizeCalls => Volatile.Read(ref _finalizeCalls);

    public ConcurrentDictionary<string, int> LaneCalls { get; } = new(StringComparer.Ordinal);

    public void Admitted() => Interlocked.Increment(ref _admitCalls);

    public void Finalized() => Interlocked.Increment(ref _finalizeCalls);
}

public sealed class AdmitExecution(StandInLog log) : TaskActivity<string, TimeSpan?>
{
    public override Task<TimeSpan?> RunAsync(TaskActivityContext context, string input)
    {
        log.Admitted();
        return Task.FromResult<TimeSpan?>(log.AdmissionBlocked && !log.CancelRecorded ? StandInLog.LongWait : null);
    }
}

public sealed class RunLane(StandInLog log) : TaskActivity<LaneInput, LaneOutcome>
{
    public override Task<LaneOutcome> RunAsync(TaskActivityContext context, LaneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        log.LaneCalls.AddOrUpdate(input.Lane, 1, (_, n) => n + 1);
        return Task.FromResult(LaneOutcome.After(StandInLog.LongWait));
    }
}

public sealed class FinalizeExecution(StandInLog log) : TaskActivity<string, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, string input)
    {
        log.Finalized();
        return Task.FromResult(true);
    }
}
