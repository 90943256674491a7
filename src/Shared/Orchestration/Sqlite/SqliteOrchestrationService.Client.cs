using DurableTask.Core;
using DurableTask.Core.History;
using static NodeOps.Orchestration.Sqlite.SqliteOrchestrationSql;

namespace NodeOps.Orchestration.Sqlite;

/// <summary>The client side: start instances, send them messages, read their state and history.</summary>
public sealed partial class SqliteOrchestrationService
{
    private static readonly TimeSpan WaitPollInterval = TimeSpan.FromMilliseconds(100);

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) => CreateTaskOrchestrationAsync(creationMessage, null!);

    public async Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses)
    {
        ArgumentNullException.ThrowIfNull(creationMessage);
        if (creationMessage.Event is not ExecutionStartedEvent)
        {
            throw new ArgumentException("A creation message carries an ExecutionStartedEvent.", nameof(creationMessage));
        }

        var now = UtcNow;
        await _store.WriteAsync((connection, transaction) => SqliteMessageWriter.Send(connection, transaction, creationMessage, now, dedupeStatuses), CancellationToken.None)
            .ConfigureAwait(false);
        _orchestrationWork.Set();
    }

    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) => SendTaskOrchestrationMessageBatchAsync(message);

    public async Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var now = UtcNow;
        await _store.WriteAsync((connection, transaction) =>
        {
            foreach (var message in messages)
            {
                SqliteMessageWriter.Send(connection, transaction, message, now);
            }

            return messages.Length;
        }, CancellationToken.None).ConfigureAwait(false);
        _orchestrationWork.Set();
    }

    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) => SendTaskOrchestrationMessageAsync(new TaskMessage
    {
        OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
        Event = new ExecutionTerminatedEvent(-1, reason),
    });

    public async Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            var state = await GetOrchestrationStateAsync(instanceId, executionId).ConfigureAwait(false);
            if (state is not null && IsFinished(state.OrchestrationStatus))
            {
                return state;
            }

            if (_time.GetElapsedTime(started) >= timeout)
            {
                return null!;
            }

            await Task.Delay(WaitPollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions) =>
        await GetOrchestrationStateAsync(instanceId, executionId: null!).ConfigureAwait(false) is { } state ? [state] : [];

    public Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId)
    {
        var stored = _store.Read(connection => connection.Scalar(SelectState, null, ("@id", instanceId)) as string);
        var state = stored is null ? null : SqliteEventCodec.DeserializeState(stored);
        if (state is not null && !string.IsNullOrEmpty(executionId) && state.OrchestrationInstance.ExecutionId != executionId)
        {
            state = null;
        }

        return Task.FromResult(state!);
    }

    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId)
    {
        var events = _store.Read(connection =>
        {
            var list = new List<HistoryEvent>();
            using var command = connection.Command(SelectAllHistory, null, ("@id", instanceId), ("@execution", string.IsNullOrEmpty(executionId) ? null : executionId));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                list.Add(SqliteEventCodec.Deserialize(reader.GetString(0), reader.GetString(1)));
            }

            return list;
        });
        return Task.FromResult(SqliteEventCodec.Serialize(events));
    }
}
