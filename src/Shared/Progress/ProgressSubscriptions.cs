namespace NodeOps.Progress;

/// <summary>
/// One client's subscriptions, whatever carries them (the WebSocket, a SignalR hub connection): the task id rule,
/// the per-connection limit, and the one <see cref="ProgressOutbox"/> whose coalescing rule every transport shares.
/// The transport drains <see cref="Outbox"/> at its client's pace and calls <see cref="Release"/> when the client goes.
/// </summary>
public sealed class ProgressSubscriptions(InProcessProgressBus bus, ProgressOptions options)
{
    public const int MaxTaskIdLength = 100;
    private readonly HashSet<string> _taskIds = new(StringComparer.Ordinal);
    private bool _released;

    public ProgressOutbox Outbox { get; } = new(options.MaxQueuedPerConnection);

    /// <summary>Subscribes to a task; the snapshot (and the completion of a finished task) is in the outbox on success.</summary>
    public async Task<SubscribeOutcome> SubscribeAsync(string? taskId, CancellationToken cancellationToken = default)
    {
        if (!IsValidTaskId(taskId))
        {
            return SubscribeOutcome.InvalidTaskId;
        }

        lock (_taskIds)
        {
            if (_taskIds.Contains(taskId))
            {
                return SubscribeOutcome.AlreadySubscribed;
            }

            if (_taskIds.Count >= options.MaxSubscriptionsPerConnection)
            {
                return SubscribeOutcome.TooMany;
            }
        }

        if (!await bus.SubscribeAsync(Outbox, taskId, cancellationToken).ConfigureAwait(false))
        {
            return SubscribeOutcome.NotFound;
        }

        lock (_taskIds)
        {
            // The client left while the snapshot was read: the subscription must not outlive it.
            if (_released || !_taskIds.Add(taskId))
            {
                bus.Unsubscribe(Outbox, taskId);
                return _released ? SubscribeOutcome.NotFound : SubscribeOutcome.AlreadySubscribed;
            }
        }

        return SubscribeOutcome.Subscribed;
    }

    /// <summary>Returns false when the client was not subscribed to the task.</summary>
    public bool Unsubscribe(string? taskId)
    {
        lock (_taskIds)
        {
            if (taskId is null || !_taskIds.Remove(taskId))
            {
                return false;
            }
        }

        bus.Unsubscribe(Outbox, taskId);
        return true;
    }

    /// <summary>Drops every subscription; the client has gone.</summary>
    public void Release()
    {
        string[] taskIds;
        lock (_taskIds)
        {
            _released = true;
            taskIds = [.. _taskIds];
            _taskIds.Clear();
        }

        foreach (var taskId in taskIds)
        {
            bus.Unsubscribe(Outbox, taskId);
        }
    }

    public static bool IsValidTaskId([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? taskId) =>
        !string.IsNullOrEmpty(taskId) && taskId.Length <= MaxTaskIdLength;

    /// <summary>What the client is told when a subscription is refused (null when it was not).</summary>
    public string? Refusal(SubscribeOutcome outcome, string? taskId) => RefusalText(outcome, taskId, options.MaxSubscriptionsPerConnection);

    public static string? RefusalText(SubscribeOutcome outcome, string? taskId, int maxSubscriptions) => outcome switch
    {
        SubscribeOutcome.InvalidTaskId => $"task_id 不能为空，且最长 {MaxTaskIdLength} 个字符",
        SubscribeOutcome.TooMany => $"每个连接最多订阅 {maxSubscriptions} 个任务",
        SubscribeOutcome.NotFound => $"任务 {taskId} 不存在",
        _ => null,
    };
}

public enum SubscribeOutcome
{
    Subscribed,
    AlreadySubscribed,
    InvalidTaskId,
    TooMany,
    NotFound,
}
