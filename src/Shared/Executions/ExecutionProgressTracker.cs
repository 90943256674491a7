using System.Collections.Concurrent;

namespace NodeOps.Executions;

/// <summary>
/// Nodes finished per execution, as this instance knows them, so progress events carry current/total without a
/// store read per node. Work items of one execution on other instances are not counted here; the final event and
/// every snapshot come from the store and are exact.
/// </summary>
public sealed class ExecutionProgressTracker
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    public (int Finished, int Total) Observe(string taskId, int finished, int total)
    {
        var counter = _counters.GetOrAdd(taskId, _ => new Counter());
        lock (counter)
        {
            counter.Finished = Math.Max(counter.Finished, finished);
            counter.Total = total;
            return (counter.Finished, counter.Total);
        }
    }

    public (int Finished, int Total) NodeFinished(string taskId)
    {
        var counter = _counters.GetOrAdd(taskId, _ => new Counter());
        lock (counter)
        {
            counter.Finished = Math.Min(counter.Finished + 1, Math.Max(counter.Total, counter.Finished + 1));
            return (counter.Finished, counter.Total);
        }
    }

    public (int Finished, int Total) Current(string taskId) =>
        _counters.TryGetValue(taskId, out var counter) ? (counter.Finished, counter.Total) : (0, 0);

    public void Forget(string taskId) => _counters.TryRemove(taskId, out _);

    private sealed class Counter
    {
        public int Finished { get; set; }

        public int Total { get; set; }
    }
}
