namespace NodeOps.Executions;

/// <summary>
/// One node's row in an execution. It is claimed (pending to running) by a conditional write before the command
/// starts: that write is what makes a node run at most once. Output lives in separate chunk rows.
/// </summary>
public sealed record NodeResultRecord
{
    public required string Node { get; init; }

    public required string Address { get; init; }

    public int Port { get; init; }

    /// <summary>Where the node sits in target_nodes, so results keep the request's order.</summary>
    public int Index { get; init; }

    public NodeStatus Status { get; init; } = NodeStatus.Pending;

    public int? ExitCode { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Seconds.</summary>
    public double? Duration { get; init; }

    public bool Truncated { get; init; }

    public string? Message { get; init; }

    /// <summary>A machine code for the failure (HOST_KEY_MISMATCH, ...).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The lane that claimed the node; a redelivered item finds its own lost claims by it.</summary>
    public string? Lane { get; init; }

    /// <summary>The instance that ran the node.</summary>
    public string? Instance { get; init; }

    /// <summary>The remote process group, recorded so it can be signalled.</summary>
    public int? RemoteProcessGroup { get; init; }
}
