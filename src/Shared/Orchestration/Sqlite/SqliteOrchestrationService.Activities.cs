using System.Globalization;
using DurableTask.Core;
using static NodeOps.Orchestration.Sqlite.SqliteOrchestrationSql;

namespace NodeOps.Orchestration.Sqlite;

/// <summary>The activity side of the worker: lease activity work items in small batches, hand results back to their instance.</summary>
public sealed partial class SqliteOrchestrationService
{
    public Task<TaskActivityWorkItem?> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        PollAsync<TaskActivityWorkItem>(_activityWork, TryLockActivityAsync, receiveTimeout, cancellationToken);

    public async Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        var until = UtcNow + _options.LeaseDuration;
        var renewed = await _store.WriteAsync(
            (connection, transaction) => connection.Run(RenewActivityLock, transaction, ("@id", RowId(workItem)), ("@owner", _owner), ("@until", until.Ticks)),
            CancellationToken.None).ConfigureAwait(false);
        if (renewed == 0)
        {
            throw new InvalidOperationException($"The lease on activity work item {workItem.Id} was lost to another process.");
        }

        workItem.LockedUntilUtc = until;
        return workItem;
    }

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(responseMessage);
        Interlocked.Decrement(ref _activitiesRunning);
        var now = UtcNow;
        var instanceId = responseMessage.OrchestrationInstance.InstanceId;
        SqliteOrchestrationWorkItem? next = null;
        var delivered = await _store.WriteAsync((connection, transaction) =>
        {
            if (connection.Run(DeleteLockedActivity, transaction, ("@id", RowId(workItem)), ("@owner", _owner)) != 1
                || !SqliteMessageWriter.Send(connection, transaction, responseMessage, now))
            {
                return false;
            }

            // The instance has work now; if it is free and this process has room, lease it in the same write.
            if (_readyOrchestrations.Count < _options.MaxConcurrentOrchestrations)
            {
                next = TryLockInstance(connection, transaction, instanceId, now);
            }

            return true;
        }, CancellationToken.None).ConfigureAwait(false);
        if (delivered)
        {
            if (next is not null)
            {
                _readyOrchestrations.Enqueue(next);
            }

            _orchestrationWork.Set();
        }
        else
        {
            SqliteOrchestrationLog.ActivityResultDropped(_logger, workItem.Id, responseMessage.OrchestrationInstance.InstanceId);
        }
    }

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        Interlocked.Decrement(ref _activitiesRunning);
        var until = (UtcNow + AbandonHoldOff).Ticks;
        await _store.WriteAsync(
            (connection, transaction) => connection.Run(ReleaseActivityLock, transaction, ("@id", RowId(workItem)), ("@owner", _owner), ("@until", until)),
            CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<TaskActivityWorkItem?> TryLockActivityAsync(CancellationToken cancellationToken)
    {
        var item = await TakeActivityAsync(cancellationToken).ConfigureAwait(false);
        if (item is not null)
        {
            Interlocked.Increment(ref _activitiesRunning);
        }

        return item;
    }

    private async Task<TaskActivityWorkItem?> TakeActivityAsync(CancellationToken cancellationToken)
    {
        if (_prefetched.TryDequeue(out var waiting))
        {
            return waiting;
        }

        var now = UtcNow;
        var until = now + _options.LeaseDuration;
        var locked = await _store.WriteAsync((connection, transaction) =>
        {
            var items = new List<TaskActivityWorkItem>();
            using var command = connection.Command(LockActivities, transaction,
                ("@owner", _owner), ("@until", until.Ticks), ("@now", now.Ticks), ("@limit", _options.ActivityBatchSize));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                items.Add(ActivityWorkItem(reader.GetInt64(0),
                    SqliteEventCodec.Message(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4)), until));
            }

            return items;
        }, cancellationToken).ConfigureAwait(false);

        foreach (var item in locked.Skip(1))
        {
            _prefetched.Enqueue(item);
        }

        return locked.FirstOrDefault();
    }

    /// <summary>How many more activities this process could start now than it already holds.</summary>
    private int LocalActivityRoom() => _options.MaxConcurrentActivities - Volatile.Read(ref _activitiesRunning) - _prefetched.Count;

    private static TaskActivityWorkItem ActivityWorkItem(long rowId, TaskMessage message, DateTime lockedUntil) => new()
    {
        Id = rowId.ToString(CultureInfo.InvariantCulture),
        TaskMessage = message,
        LockedUntilUtc = lockedUntil,
    };

    private static long RowId(TaskActivityWorkItem workItem) => long.Parse(workItem.Id, CultureInfo.InvariantCulture);
}
