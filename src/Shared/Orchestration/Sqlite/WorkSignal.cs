namespace NodeOps.Orchestration.Sqlite;

/// <summary>
/// Wakes every waiting poller of this process at once when it enqueued work itself; work from other processes is
/// found by the pollers' own timeout. Callers take <see cref="Current"/> before they look, so no wake-up is lost.
/// </summary>
internal sealed class WorkSignal
{
    private TaskCompletionSource _current = NewSource();

    public Task Current => Volatile.Read(ref _current).Task;

    public void Set() => Interlocked.Exchange(ref _current, NewSource()).TrySetResult();

    public static async Task WaitAsync(Task signal, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await signal.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Nothing was enqueued here; the caller looks again anyway.
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
