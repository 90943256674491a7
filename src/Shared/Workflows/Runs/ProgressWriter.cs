namespace NodeOps.Workflows.Runs;

/// <summary>
/// Writes a running step's latest progress line to its row, at most once per interval, so a status read shows what
/// the step is doing (a drain naming the budget that holds it) without a write per event.
/// </summary>
internal sealed class ProgressWriter
{
    private readonly WorkflowStepStore _steps;
    private readonly string _taskId;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private StepNodeRecord _row;
    private string? _latest;
    private DateTimeOffset _lastWrite;
    private Task _pending = Task.CompletedTask;

    public ProgressWriter(WorkflowStepStore steps, string taskId, StepNodeRecord row, string etag, TimeSpan interval, TimeProvider time)
    {
        _steps = steps;
        _taskId = taskId;
        _row = row;
        ETag = etag;
        _interval = interval;
        _time = time;
    }

    public string? ETag { get; private set; }

    public void Report(string message)
    {
        lock (_lock)
        {
            _latest = message;
            if (_time.GetUtcNow() - _lastWrite < _interval || !_pending.IsCompleted)
            {
                return;
            }

            _lastWrite = _time.GetUtcNow();
            _pending = FlushAsync();
        }
    }

    /// <summary>Waits for the last write (only one is ever in flight); the row as stored, for the final write to build on.</summary>
    public async Task<StepNodeRecord> StopAsync()
    {
        Task pending;
        lock (_lock)
        {
            pending = _pending;
        }

        await pending.ConfigureAwait(false);
        lock (_lock)
        {
            return _row with { Progress = _latest ?? _row.Progress };
        }
    }

    private async Task FlushAsync()
    {
        StepNodeRecord next;
        string? etag;
        lock (_lock)
        {
            next = _row with { Progress = _latest };
            etag = ETag;
        }

        if (etag is null || next == _row)
        {
            return;
        }

        try
        {
            var written = await _steps.TryWriteAsync(_taskId, next, etag).ConfigureAwait(false);
            if (written is not null)
            {
                lock (_lock)
                {
                    (_row, ETag) = (next, written);
                }
            }
        }
        catch (Exception ex) when (ex is Storage.TableStoreException or IOException or HttpRequestException)
        {
            // Progress is best effort; the final result is written anyway.
        }
    }
}
