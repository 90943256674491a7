using CoreDataConverter = DurableTask.Core.Serializing.DataConverter;
using DurableDataConverter = Microsoft.DurableTask.DataConverter;

namespace NodeOps.Orchestration;

/// <summary>
/// Lets DurableTask.Core's TaskHubClient serialize inputs and events with the Microsoft.DurableTask converter, the one
/// the orchestrators and activities (through their shims) read them with.
/// </summary>
internal sealed class PayloadConverter(DurableDataConverter inner) : CoreDataConverter
{
    public override string Serialize(object value) => inner.Serialize(value)!;

    public override string Serialize(object value, bool formatted) => inner.Serialize(value)!;

    public override object Deserialize(string data, Type objectType) => inner.Deserialize(data, objectType)!;
}
