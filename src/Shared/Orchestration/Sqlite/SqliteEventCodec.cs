using DurableTask.Core;
using DurableTask.Core.History;
using Newtonsoft.Json;

namespace NodeOps.Orchestration.Sqlite;

/// <summary>
/// History events and orchestration states as JSON rows. The event's concrete type is kept in its own column and
/// resolved only among DurableTask.Core's history event types, so stored text never chooses an arbitrary type.
/// </summary>
internal static class SqliteEventCodec
{
    private static readonly JsonSerializerSettings Settings = new()
    {
        TypeNameHandling = TypeNameHandling.None,
        ConstructorHandling = ConstructorHandling.AllowNonPublicDefaultConstructor,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
        NullValueHandling = NullValueHandling.Ignore,
    };

    private static readonly Dictionary<string, Type> EventTypes = typeof(HistoryEvent).Assembly.GetTypes()
        .Where(type => type.IsSubclassOf(typeof(HistoryEvent)) && !type.IsAbstract && type.FullName is not null)
        .ToDictionary(type => type.Name, type => type, StringComparer.Ordinal);

    public static string TypeName(HistoryEvent historyEvent) => historyEvent.GetType().Name;

    public static string Serialize(object value) => JsonConvert.SerializeObject(value, Settings);

    public static HistoryEvent Deserialize(string typeName, string payload)
    {
        if (!EventTypes.TryGetValue(typeName, out var type))
        {
            throw new InvalidOperationException($"The orchestration store holds an unknown history event type '{typeName}'.");
        }

        return (HistoryEvent)(JsonConvert.DeserializeObject(payload, type, Settings)
            ?? throw new InvalidOperationException($"The orchestration store holds an empty '{typeName}' event."));
    }

    public static OrchestrationState DeserializeState(string payload) =>
        JsonConvert.DeserializeObject<OrchestrationState>(payload, Settings)
        ?? throw new InvalidOperationException("The orchestration store holds an empty instance state.");

    public static TaskMessage Message(string instanceId, string? executionId, string typeName, string payload) => new()
    {
        Event = Deserialize(typeName, payload),
        OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = executionId },
    };
}
