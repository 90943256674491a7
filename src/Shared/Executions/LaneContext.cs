using NodeOps.Progress;

namespace NodeOps.Executions;

/// <summary>
/// What a handler gets for one lane: the execution, the signals to stop, and the only ways to touch node rows
/// (claim, record the remote process group, record the result), each a conditional write that also emits progress.
/// </summary>
public sealed class LaneContext
{
    private readonly ExecutionStore _store;
    private readonly IProgressPublisher _progress;
    private readonly ExecutionProgressTracker _tracker;
    private readonly TimeProvider _time;

    internal LaneContext(
        ExecutionRecord execution,
        string lane,
        IReadOnlyList<StoredNode> nodes,
        string instance,
        ExecutionStore store,
        IProgressPublisher progress,
        ExecutionProgressTracker tracker,
        TimeProvider time,
        CancellationToken cancelled,
        CancellationToken stopClaiming,
        CancellationToken stopNow)
    {
        Execution = execution;
        Lane = lane;
        Nodes = nodes;
        Instance = instance;
        _store = store;
        _progress = progress;
        _tracker = tracker;
        _time = time;
        Cancelled = cancelled;
        StopClaiming = stopClaiming;
        StopNow = stopNow;
    }

    public ExecutionRecord Execution { get; }

    public string Lane { get; }

    public string Instance { get; }

    public TimeProvider Time => _time;

    /// <summary>Fires when a cancel was requested, on any instance.</summary>
    public CancellationToken Cancelled { get; }

    /// <summary>Fires on cancel, or when this instance is stopping: claim no more nodes.</summary>
    public CancellationToken StopClaiming { get; }

    /// <summary>Fires when running work must stop now: on cancel, or when the drain time ran out.</summary>
    public CancellationToken StopNow { get; }

    public bool IsCancelRequested => Cancelled.IsCancellationRequested;

    /// <summary>The status for a node whose run <see cref="StopNow"/> stopped: cancelled by a user, or interrupted by the instance stopping.</summary>
    public NodeStatus StoppedStatus => IsCancelRequested ? NodeStatus.Cancelled : NodeStatus.Interrupted;

    /// <summary>
    /// The execution's node rows as the lane read them when it started (its lost claims already interrupted). Read
    /// once per lane, not per handler call: a row changed since by another lane only makes its claim fail.
    /// </summary>
    public IReadOnlyList<StoredNode> Nodes { get; }

    /// <summary>
    /// Marks a pending node running, conditionally: only one claimer ever wins, which is what makes a node run at
    /// most once. Returns null when the node was no longer pending as read.
    /// </summary>
    public async Task<NodeClaim?> TryClaimAsync(StoredNode node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Record.Status != NodeStatus.Pending)
        {
            return null;
        }

        var running = node.Record with { Status = NodeStatus.Running, StartedAt = _time.GetUtcNow(), Lane = Lane, Instance = Instance };
        var row = await _store.TryTransitionAsync(Execution.TaskId, node, running, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var (finished, total) = _tracker.Current(Execution.TaskId);
        _progress.Publish(ExecutionEvents.Node(Execution, running, finished, total, _time.GetUtcNow()));
        return new NodeClaim(row);
    }

    /// <summary>Records the remote process group on the node's row, so it can be signalled.</summary>
    public async Task RecordProcessGroupAsync(NodeClaim claim, int processGroup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await WriteAsync(claim, record => record with { RemoteProcessGroup = processGroup }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a node's final result and output. Returns false when it could not be recorded because the claim was
    /// lost (the item was taken over and the node marked interrupted).
    /// </summary>
    public async Task<bool> CompleteNodeAsync(NodeClaim claim, NodeResultRecord result, string stdout, string stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Status.IsFinal())
        {
            throw new ArgumentException("A node result must have a final status.", nameof(result));
        }

        await claim.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!claim.Held)
            {
                claim.Held = false;
                return false;
            }

            if (!await _store.RecordResultAsync(Execution.TaskId, claim.Row, result, stdout, stderr, cancellationToken).ConfigureAwait(false))
            {
                claim.Held = false;
                return false;
            }

            claim.Row = claim.Row with { Record = result };
        }
        finally
        {
            claim.Gate.Release();
        }

        var (finished, total) = _tracker.NodeFinished(Execution.TaskId);
        _progress.Publish(ExecutionEvents.Node(Execution, result, finished, total, _time.GetUtcNow()));
        return true;
    }

    /// <summary>Changes a running node's row (never its status); a row already final is left alone.</summary>
    private async Task WriteAsync(NodeClaim claim, Func<NodeResultRecord, NodeResultRecord> change, CancellationToken cancellationToken)
    {
        await claim.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!claim.Held || claim.Record.Status != NodeStatus.Running)
            {
                return;
            }

            var row = await _store.TryTransitionAsync(Execution.TaskId, claim.Row, change(claim.Record) with { Status = NodeStatus.Running }, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                claim.Held = false;
                return;
            }

            claim.Row = row;
        }
        finally
        {
            claim.Gate.Release();
        }
    }
}
