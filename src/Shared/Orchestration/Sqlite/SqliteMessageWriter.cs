using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using Microsoft.Data.Sqlite;
using static NodeOps.Orchestration.Sqlite.SqliteOrchestrationSql;

namespace NodeOps.Orchestration.Sqlite;

/// <summary>Writes messages inside a caller's transaction: a start creates (or restarts) its instance, others queue for it.</summary>
internal static class SqliteMessageWriter
{
    public static readonly OrchestrationStatus[] FinishedStatuses =
    [
        OrchestrationStatus.Completed, OrchestrationStatus.Failed, OrchestrationStatus.Terminated, OrchestrationStatus.Canceled,
    ];

    /// <summary>Routes one message to its instance; returns false when a message had no instance to go to.</summary>
    public static bool Send(SqliteConnection connection, SqliteTransaction transaction, TaskMessage message, DateTime now, OrchestrationStatus[]? dedupeStatuses = null)
    {
        var instance = message.OrchestrationInstance;
        if (message.Event is ExecutionStartedEvent started)
        {
            Start(connection, transaction, started, now, dedupeStatuses);
        }

        if (message.Event is TimerFiredEvent timer)
        {
            connection.Run(InsertTimer, transaction, ("@id", instance.InstanceId), ("@execution", instance.ExecutionId),
                ("@type", SqliteEventCodec.TypeName(timer)), ("@payload", SqliteEventCodec.Serialize(timer)), ("@fireAt", timer.FireAt.ToUniversalTime().Ticks));
            return true;
        }

        return connection.Run(InsertNewEvent, transaction, ("@id", instance.InstanceId), ("@execution", instance.ExecutionId),
            ("@type", SqliteEventCodec.TypeName(message.Event)), ("@payload", SqliteEventCodec.Serialize(message.Event))) == 1;
    }

    /// <summary>Queues an activity work item, free or already leased to <paramref name="owner"/>; returns its row id.</summary>
    public static long QueueActivity(SqliteConnection connection, SqliteTransaction transaction, TaskMessage message, string? owner, long lockExpires) =>
        (long)connection.Scalar(InsertActivity, transaction, ("@id", message.OrchestrationInstance.InstanceId), ("@execution", message.OrchestrationInstance.ExecutionId),
            ("@type", SqliteEventCodec.TypeName(message.Event)), ("@payload", SqliteEventCodec.Serialize(message.Event)), ("@owner", owner), ("@until", lockExpires))!;

    /// <summary>A new instance, or a fresh start of a finished one: an earlier life's history and messages go away.</summary>
    private static void Start(SqliteConnection connection, SqliteTransaction transaction, ExecutionStartedEvent started, DateTime now, OrchestrationStatus[]? dedupeStatuses)
    {
        var instance = started.OrchestrationInstance;
        if (connection.Scalar(InstanceStatus, transaction, ("@id", instance.InstanceId)) is string existing)
        {
            var status = Enum.Parse<OrchestrationStatus>(existing);
            if (dedupeStatuses is not null && dedupeStatuses.Contains(status))
            {
                throw new OrchestrationAlreadyExistsException($"An orchestration with instance id '{instance.InstanceId}' already exists and is {status}.");
            }

            connection.Run(ClearInstanceWork, transaction, ("@id", instance.InstanceId));
        }

        var state = new OrchestrationState
        {
            OrchestrationInstance = instance,
            Name = started.Name,
            Version = started.Version,
            Input = started.Input,
            Tags = started.Tags,
            ParentInstance = started.ParentInstance,
            OrchestrationStatus = OrchestrationStatus.Pending,
            CreatedTime = now,
            LastUpdatedTime = now,
            CompletedTime = DateTime.MinValue,
            ScheduledStartTime = started.ScheduledStartTime,
        };
        connection.Run(UpsertInstance, transaction, ("@id", instance.InstanceId), ("@execution", instance.ExecutionId), ("@name", started.Name),
            ("@status", nameof(OrchestrationStatus.Pending)), ("@created", now.Ticks), ("@state", SqliteEventCodec.Serialize(state)));
    }
}
