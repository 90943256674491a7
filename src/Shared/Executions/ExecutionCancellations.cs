using System.Collections.Concurrent;

namespace NodeOps.Executions;

/// <summary>
/// Work items running on this instance, by task, so a cancel made here stops them at once. A cancel made on another
/// instance reaches them through the persisted flag, which every running item polls.
/// </summary>
public sealed class ExecutionCancellations
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<CancellationTokenSource, bool>> _running = new(StringComparer.Ordinal);

    public IDisposable Register(string taskId, CancellationTokenSource source)
    {
        var set = _running.GetOrAdd(taskId, _ => new ConcurrentDictionary<CancellationTokenSource, bool>());
        set[source] = true;
        return new Registration(this, taskId, source);
    }

    public void Signal(string taskId)
    {
        if (!_running.TryGetValue(taskId, out var set))
        {
            return;
        }

        foreach (var source in set.Keys)
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private sealed class Registration(ExecutionCancellations owner, string taskId, CancellationTokenSource source) : IDisposable
    {
        public void Dispose()
        {
            if (owner._running.TryGetValue(taskId, out var set))
            {
                set.TryRemove(source, out _);
                if (set.IsEmpty)
                {
                    owner._running.TryRemove(new KeyValuePair<string, ConcurrentDictionary<CancellationTokenSource, bool>>(taskId, set));
                }
            }
        }
    }
}
