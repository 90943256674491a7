using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.Data.Sqlite;
using static NodeOps.Orchestration.Sqlite.SqliteOrchestrationSql;

namespace NodeOps.Orchestration.Sqlite;

/// <summary>The orchestration side of the worker: lease an instance with waiting messages, checkpoint its episode.</summary>
public sealed partial class SqliteOrchestrationService
{
    public Task<TaskOrchestrationWorkItem?> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        PollAsync<TaskOrchestrationWorkItem>(_orchestrationWork, TryLockOrchestrationAsync, receiveTimeout, cancellationToken);

    public async Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        var until = UtcNow + _options.LeaseDuration;
        var renewed = await _store.WriteAsync(
            (connection, transaction) => connection.Run(RenewInstanceLock, transaction, ("@id", workItem.InstanceId), ("@owner", _owner), ("@until", until.Ticks)),
            CancellationToken.None).ConfigureAwait(false);
        if (renewed == 0)
        {
            throw new InvalidOperationException($"The lease on orchestration '{workItem.InstanceId}' was lost to another process.");
        }

        workItem.LockedUntilUtc = until;
    }

    public async Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(newOrchestrationRuntimeState);
        var item = (SqliteOrchestrationWorkItem)workItem;
        var runtime = newOrchestrationRuntimeState;
        var executionId = runtime.OrchestrationInstance?.ExecutionId;
        var now = UtcNow;
        List<TaskActivityWorkItem> handOffs = [];
        var cache = await _store.WriteAsync((connection, transaction) =>
        {
            if (connection.Scalar("SELECT lock_owner FROM dt_instances WHERE instance_id = @id", transaction, ("@id", item.InstanceId)) as string != _owner)
            {
                throw new InvalidOperationException($"The lease on orchestration '{item.InstanceId}' was lost to another process; its episode is dropped.");
            }

            connection.Run(DeleteNewEvents, transaction, ("@ids", SqliteEventCodec.Serialize(item.EventIds)));
            connection.Run(DeleteTimers, transaction, ("@ids", SqliteEventCodec.Serialize(item.TimerIds)));
            CachedHistory? written = null;
            if (orchestrationState is not null && executionId is not null)
            {
                written = WriteHistory(connection, transaction, item, runtime, executionId);
                connection.Run(UpdateInstance, transaction, ("@id", item.InstanceId), ("@execution", executionId), ("@name", orchestrationState.Name),
                    ("@status", orchestrationState.OrchestrationStatus.ToString()), ("@updated", now.Ticks),
                    ("@completed", IsFinished(orchestrationState.OrchestrationStatus) ? now.Ticks : null),
                    ("@state", SqliteEventCodec.Serialize(Stamped(orchestrationState, now))), ("@count", runtime.Events.Count));
            }

            var handOff = new List<TaskActivityWorkItem>();
            foreach (var message in outboundMessages ?? [])
            {
                // While this process has room, it takes the activities it schedules itself: no poll, no second lease write.
                var keep = LocalActivityRoom() > handOff.Count;
                var id = SqliteMessageWriter.QueueActivity(connection, transaction, message, keep ? _owner : null, keep ? (now + _options.LeaseDuration).Ticks : 0);
                if (keep)
                {
                    handOff.Add(ActivityWorkItem(id, message, now + _options.LeaseDuration));
                }
            }

            handOffs = handOff;

            foreach (var message in (orchestratorMessages ?? []).Concat(timerMessages ?? []).Concat(continuedAsNewMessage is null ? [] : [continuedAsNewMessage]))
            {
                SqliteMessageWriter.Send(connection, transaction, message, now);
            }

            connection.Run(ReleaseInstanceLock, transaction, ("@id", item.InstanceId), ("@owner", _owner), ("@until", 0L));
            return written;
        }, CancellationToken.None).ConfigureAwait(false);

        Remember(item.InstanceId, orchestrationState is { } finished && IsFinished(finished.OrchestrationStatus) ? null : cache);

        foreach (var handOff in handOffs)
        {
            _prefetched.Enqueue(handOff);
        }

        if (outboundMessages?.Count > 0)
        {
            _activityWork.Set();
        }

        // Messages that arrived during the episode are ready now that the lease is released.
        _orchestrationWork.Set();
    }

    public async Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        _histories.TryRemove(workItem.InstanceId, out _);
        var until = (UtcNow + AbandonHoldOff).Ticks;
        await _store.WriteAsync(
            (connection, transaction) => connection.Run(ReleaseInstanceLock, transaction, ("@id", workItem.InstanceId), ("@owner", _owner), ("@until", until)),
            CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The lease was already given back when the episode was checkpointed.</summary>
    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => Task.CompletedTask;

    private Task<TaskOrchestrationWorkItem?> TryLockOrchestrationAsync(CancellationToken cancellationToken)
    {
        if (_readyOrchestrations.TryDequeue(out var ready))
        {
            return Task.FromResult<TaskOrchestrationWorkItem?>(ready);
        }

        var now = UtcNow;
        return _store.WriteAsync<TaskOrchestrationWorkItem?>((connection, transaction) =>
            connection.Scalar(FindReadyInstance, transaction, ("@now", now.Ticks)) is string instanceId
                ? TryLockInstance(connection, transaction, instanceId, now)
                : null, cancellationToken);
    }

    /// <summary>Leases the instance if it is free and reads what its episode needs: waiting messages, due timers, history.</summary>
    private SqliteOrchestrationWorkItem? TryLockInstance(SqliteConnection connection, SqliteTransaction transaction, string instanceId, DateTime now)
    {
        var until = now + _options.LeaseDuration;
        if (connection.Run(LockInstance, transaction, ("@id", instanceId), ("@owner", _owner), ("@until", until.Ticks), ("@now", now.Ticks)) == 0)
        {
            return null;
        }

        string storedExecution;
        long historyCount;
        using (var owner = connection.Command(InstanceLockOwner, transaction, ("@id", instanceId)))
        using (var reader = owner.ExecuteReader())
        {
            reader.Read();
            storedExecution = reader.GetString(1);
            historyCount = reader.GetInt64(2);
        }

        var (messages, eventIds) = ReadMessages(connection, transaction, SelectNewEvents, instanceId, ("@id", instanceId));
        var (timers, timerIds) = ReadMessages(connection, transaction, SelectDueTimers, instanceId, ("@id", instanceId), ("@now", now.Ticks));
        var history = _histories.TryGetValue(instanceId, out var cached) && cached.ExecutionId == storedExecution && cached.Events.Count == historyCount
            ? cached.Events
            : ReadHistory(connection, transaction, instanceId, storedExecution);
        return new SqliteOrchestrationWorkItem
        {
            InstanceId = instanceId,
            OrchestrationRuntimeState = new OrchestrationRuntimeState(history.ToList()),
            NewMessages = [.. messages, .. timers],
            LockedUntilUtc = until,
            EventIds = eventIds,
            TimerIds = timerIds,
            StoredExecutionId = storedExecution,
        };
    }

    private static (List<TaskMessage> Messages, List<long> Ids) ReadMessages(
        SqliteConnection connection, SqliteTransaction transaction, string sql, string instanceId, params (string, object?)[] parameters)
    {
        var messages = new List<TaskMessage>();
        var ids = new List<long>();
        using var command = connection.Command(sql, transaction, parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
            messages.Add(SqliteEventCodec.Message(instanceId, reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return (messages, ids);
    }

    private static List<HistoryEvent> ReadHistory(SqliteConnection connection, SqliteTransaction? transaction, string instanceId, string executionId)
    {
        var events = new List<HistoryEvent>();
        using var command = connection.Command(SelectHistory, transaction, ("@id", instanceId), ("@execution", executionId));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var historyEvent = SqliteEventCodec.Deserialize(reader.GetString(0), reader.GetString(1));
            historyEvent.IsPlayed = true;
            events.Add(historyEvent);
        }

        return events;
    }

    /// <summary>Appends the episode's new events; a new execution (continue-as-new) replaces the old one's history.</summary>
    private static CachedHistory WriteHistory(SqliteConnection connection, SqliteTransaction transaction, SqliteOrchestrationWorkItem item, OrchestrationRuntimeState runtime, string executionId)
    {
        var all = runtime.Events;
        var fresh = runtime.NewEvents;
        var first = all.Count - fresh.Count;
        IEnumerable<HistoryEvent> toWrite = fresh;
        if (executionId != item.StoredExecutionId)
        {
            connection.Run(DeleteHistory, transaction, ("@id", item.InstanceId));
            (first, toWrite) = (0, all);
        }

        var seq = first;
        foreach (var historyEvent in toWrite)
        {
            connection.Run(InsertHistory, transaction, ("@id", item.InstanceId), ("@execution", executionId), ("@seq", seq++),
                ("@type", SqliteEventCodec.TypeName(historyEvent)), ("@payload", SqliteEventCodec.Serialize(historyEvent)));
        }

        foreach (var historyEvent in all)
        {
            historyEvent.IsPlayed = true;
        }

        return new CachedHistory(executionId, all.ToList());
    }

    /// <summary>Keeps the history of running instances only, and only so many, so memory stays bounded.</summary>
    private void Remember(string instanceId, CachedHistory? history)
    {
        if (history is null)
        {
            _histories.TryRemove(instanceId, out _);
            return;
        }

        if (_histories.Count >= MaxCachedHistories)
        {
            _histories.Clear();
        }

        _histories[instanceId] = history;
    }

    private static bool IsFinished(OrchestrationStatus status) => SqliteMessageWriter.FinishedStatuses.Contains(status);

    /// <summary>The store's own clock decides when an instance was last updated and completed.</summary>
    private static OrchestrationState Stamped(OrchestrationState state, DateTime now)
    {
        state.LastUpdatedTime = now;
        if (IsFinished(state.OrchestrationStatus) && state.CompletedTime == DateTime.MinValue)
        {
            state.CompletedTime = now;
        }

        return state;
    }
}
