using System.Text.Json.Serialization;

namespace NodeOps.Progress;

/// <summary>
/// One progress message, in the spec's shape {task_id, type, progress, message, data} plus current, total,
/// current_node and timestamp. <see cref="IsFinal"/> events are never coalesced or dropped.
/// </summary>
public sealed record ProgressEvent
{
    public required string TaskId { get; init; }

    /// <summary>See <see cref="ProgressEventTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>0 to 100.</summary>
    public int Progress { get; init; }

    public string Message { get; init; } = "";

    public object? Data { get; init; }

    /// <summary>Nodes (or steps) finished so far.</summary>
    public int Current { get; init; }

    public int Total { get; init; }

    public string? CurrentNode { get; init; }

    public DateTimeOffset Timestamp { get; init; }

    [JsonIgnore]
    public bool IsFinal => Type == ProgressEventTypes.Complete;

    public static int Percent(int current, int total) => total <= 0 ? 0 : (int)Math.Clamp(current * 100L / total, 0, 100);
}
