using System.Text.Json;
using System.Text.Json.Nodes;

namespace NodeOps.Executions;

/// <summary>
/// An execution as stored: what was asked (kind, cluster, nodes, the kind's own payload), who asked, and where it
/// stands. Node results live in their own rows. <see cref="OpenLanes"/> lists the lanes not finished
/// yet; the one that empties it finalizes the execution (fan-in by ETag).
/// </summary>
public sealed record ExecutionRecord
{
    public required string TaskId { get; init; }

    /// <summary>The numeric id history lists show.</summary>
    public required long Id { get; init; }

    /// <summary>The execution kind: "ssh", "script", "ansible", "workflow".</summary>
    public required string Kind { get; init; }

    public ExecutionStatus Status { get; init; } = ExecutionStatus.Pending;

    public required string ClusterName { get; init; }

    public required IReadOnlyList<string> TargetNodes { get; init; }

    public long CredentialId { get; init; }

    /// <summary>Seconds each node may take.</summary>
    public int Timeout { get; init; }

    /// <summary>Nodes at once, across all instances.</summary>
    public int MaxConcurrent { get; init; }

    /// <summary>What the kind needs to run, fixed at submission (a command, a script's content and version, ...).</summary>
    public required JsonElement Payload { get; init; }

    /// <summary>Fields the kind shows in status and history views (command, script_name, playbook_name, ...).</summary>
    public JsonObject Summary { get; init; } = [];

    public long UserId { get; init; }

    public string Username { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The schedule that started it; null when a caller did.</summary>
    public long? ScheduleId { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public IReadOnlyList<string> Lanes { get; init; } = [];

    public IReadOnlyList<string> OpenLanes { get; init; } = [];

    public bool CancelRequested { get; init; }

    public string? CancelledBy { get; init; }

    /// <summary>Set when the execution finishes.</summary>
    public ExecutionCounts? Counts { get; init; }

    /// <summary>Why the execution failed as a whole, when it did (not a node's failure).</summary>
    public string? Error { get; init; }

    public bool IsFinished => Status is ExecutionStatus.Completed or ExecutionStatus.Failed or ExecutionStatus.Cancelled;

    public T PayloadAs<T>() => Payload.Deserialize<T>(Json.NodeOpsJson.Options) ?? throw new InvalidDataException($"Execution {TaskId} has no payload.");
}
