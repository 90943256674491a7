using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Storage;

namespace NodeOps.Executions;

/// <summary>
/// How running work learns of a cancel: work on this instance is stopped at once (<see cref="Signal"/>), work on any
/// other instance within <see cref="ExecutionsOptions.CancelPollInterval"/>, by polling the execution's persisted flag.
/// Lanes and workflow steps watch the same way.
/// </summary>
public sealed class ExecutionCancellations(ExecutionStore store, TimeProvider time, IOptions<ExecutionsOptions> options, ILogger<ExecutionCancellations> logger)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<CancellationTokenSource, bool>> _running = new(StringComparer.Ordinal);

    /// <summary>Cancels <paramref name="cancelled"/> when the execution is cancelled, until the watch is disposed.</summary>
    public Watch Start(string taskId, CancellationTokenSource cancelled)
    {
        ArgumentNullException.ThrowIfNull(cancelled);
        var set = _running.GetOrAdd(taskId, _ => new ConcurrentDictionary<CancellationTokenSource, bool>());
        set[cancelled] = true;
        return new Watch(this, taskId, cancelled);
    }

    /// <summary>Stops this instance's work on the execution now.</summary>
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

    private void Remove(string taskId, CancellationTokenSource source)
    {
        if (_running.TryGetValue(taskId, out var set))
        {
            set.TryRemove(source, out _);
            if (set.IsEmpty)
            {
                _running.TryRemove(new KeyValuePair<string, ConcurrentDictionary<CancellationTokenSource, bool>>(taskId, set));
            }
        }
    }

    /// <summary>Polls for a cancel made on another instance until the work ends or is cancelled.</summary>
    private async Task PollAsync(string taskId, CancellationTokenSource cancelled, CancellationToken stop)
    {
        var tick = options.Value.CancelPollInterval;
        while (!stop.IsCancellationRequested && !cancelled.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(tick, time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (await store.GetAsync(taskId, CancellationToken.None).ConfigureAwait(false) is { CancelRequested: true })
                {
                    await cancelled.CancelAsync().ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is TableStoreException or IOException or HttpRequestException)
            {
                Log.WatchFailed(logger, taskId, ex.Message);
            }
        }
    }

    /// <summary>One piece of work watching for its execution's cancel; disposing it ends the watch.</summary>
    public sealed class Watch : IAsyncDisposable
    {
        private readonly ExecutionCancellations _owner;
        private readonly string _taskId;
        private readonly CancellationTokenSource _cancelled;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _polling;

        internal Watch(ExecutionCancellations owner, string taskId, CancellationTokenSource cancelled)
        {
            _owner = owner;
            _taskId = taskId;
            _cancelled = cancelled;
            _polling = owner.PollAsync(taskId, cancelled, _stop.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _polling.ConfigureAwait(false);
            _stop.Dispose();
            _owner.Remove(_taskId, _cancelled);
        }
    }
}
