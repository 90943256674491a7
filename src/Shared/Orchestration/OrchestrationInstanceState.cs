using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;

namespace NodeOps.Orchestration;

/// <summary>An orchestration instance as the client sees it; payloads stay serialized until a caller reads them.</summary>
public sealed record OrchestrationInstanceState(
    string InstanceId,
    string Name,
    OrchestrationRuntimeStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    string? SerializedInput,
    string? SerializedOutput,
    string? SerializedCustomStatus,
    string? FailureMessage)
{
    public bool IsFinished => Status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    public T? ReadOutput<T>() => SerializedOutput is null ? default : JsonDataConverter.Default.Deserialize<T>(SerializedOutput);

    public T? ReadCustomStatus<T>() => SerializedCustomStatus is null ? default : JsonDataConverter.Default.Deserialize<T>(SerializedCustomStatus);
}
