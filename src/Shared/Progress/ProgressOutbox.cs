using System.Threading.Channels;

namespace NodeOps.Progress;

/// <summary>
/// What one connection still has to send. Snapshots, completions and replies queue in order and are never dropped;
/// intermediate progress (start, progress) keeps only the latest event per task, so a slow reader sees fewer, newer events and
/// the publisher never waits. A connection whose must-deliver queue overflows is <see cref="Overflowed"/>: it is
/// too slow or dead, and its owner closes it.
/// </summary>
public sealed class ProgressOutbox
{
    private readonly object _gate = new();
    private readonly Queue<ProgressEvent> _mustDeliver = new();
    private readonly Dictionary<string, ProgressEvent> _latestProgress = new(StringComparer.Ordinal);
    private readonly Queue<string> _progressOrder = new();
    private readonly Dictionary<string, int> _sentCurrent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _finished = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ProgressEvent>> _awaitingSnapshot = new(StringComparer.Ordinal);
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly int _maxQueued;

    public ProgressOutbox(int maxQueued = 1000)
    {
        _maxQueued = maxQueued;
    }

    public bool Overflowed { get; private set; }

    /// <summary>Events coalesced away so far (for diagnostics and tests).</summary>
    public int Coalesced { get; private set; }

    /// <summary>
    /// Holds the task's events until its snapshot is posted: a subscription registers before the snapshot is read, so
    /// events published meanwhile must wait, or the client would see them before the snapshot.
    /// </summary>
    public void AwaitSnapshot(string taskId)
    {
        lock (_gate)
        {
            _awaitingSnapshot[taskId] = [];
        }
    }

    /// <summary>Accepts an event without ever blocking.</summary>
    public void Post(ProgressEvent progressEvent)
    {
        ArgumentNullException.ThrowIfNull(progressEvent);
        lock (_gate)
        {
            PostLocked(progressEvent);
        }

        _doorbell.Writer.TryWrite(true);
    }

    private void PostLocked(ProgressEvent progressEvent)
    {
        if (_awaitingSnapshot.TryGetValue(progressEvent.TaskId, out var held))
        {
            if (progressEvent.Type != ProgressEventTypes.Snapshot)
            {
                if (held.Count >= _maxQueued)
                {
                    Overflowed = true;
                }
                else
                {
                    held.Add(progressEvent);
                }

                return;
            }

            // The snapshot goes first; what was held follows, and the usual rules drop what it made stale.
            _awaitingSnapshot.Remove(progressEvent.TaskId);
            PostLocked(progressEvent);
            foreach (var later in held)
            {
                PostLocked(later);
            }

            return;
        }

        if (_finished.Contains(progressEvent.TaskId) && progressEvent.Type != ProgressEventTypes.Snapshot)
        {
            return;
        }

        if (!ProgressEventTypes.IsCoalescable(progressEvent.Type))
        {
            if (progressEvent.IsFinal)
            {
                _finished.Add(progressEvent.TaskId);
                if (_latestProgress.Remove(progressEvent.TaskId))
                {
                    Coalesced++;
                }
            }

            if (_mustDeliver.Count >= _maxQueued)
            {
                Overflowed = true;
            }
            else
            {
                _mustDeliver.Enqueue(progressEvent);
            }
        }
        else
        {
            if (_latestProgress.ContainsKey(progressEvent.TaskId))
            {
                Coalesced++;
            }
            else
            {
                _progressOrder.Enqueue(progressEvent.TaskId);
            }

            _latestProgress[progressEvent.TaskId] = progressEvent;
        }
    }

    /// <summary>Forgets a task's pending events and state after an unsubscribe.</summary>
    public void Forget(string taskId)
    {
        lock (_gate)
        {
            _latestProgress.Remove(taskId);
            _sentCurrent.Remove(taskId);
            _finished.Remove(taskId);
            _awaitingSnapshot.Remove(taskId);
        }
    }

    /// <summary>The next event to send: must-deliver events first, then the latest progress per task.</summary>
    public async ValueTask<ProgressEvent> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryTake(out var next))
            {
                return next;
            }

            await _doorbell.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public bool TryTake(out ProgressEvent next)
    {
        lock (_gate)
        {
            if (_mustDeliver.TryDequeue(out var queued))
            {
                _sentCurrent[queued.TaskId] = Math.Max(_sentCurrent.GetValueOrDefault(queued.TaskId), queued.Current);
                next = queued;
                return true;
            }

            while (_progressOrder.TryDequeue(out var taskId))
            {
                if (!_latestProgress.Remove(taskId, out var progress))
                {
                    continue;
                }

                // A live event older than a snapshot already sent would move the client's view backwards.
                if (_sentCurrent.TryGetValue(taskId, out var sent) && progress.Current < sent)
                {
                    Coalesced++;
                    continue;
                }

                _sentCurrent[taskId] = progress.Current;
                next = progress;
                return true;
            }
        }

        next = null!;
        return false;
    }
}
