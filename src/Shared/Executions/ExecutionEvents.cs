using NodeOps.Progress;

namespace NodeOps.Executions;

/// <summary>The progress events an execution emits, built in one place so every kind and every instance speaks alike.</summary>
public static class ExecutionEvents
{
    public static ProgressEvent Start(ExecutionRecord execution, int finished, int total, DateTimeOffset at) => new()
    {
        TaskId = execution.TaskId,
        Type = ProgressEventTypes.Start,
        Progress = ProgressEvent.Percent(finished, total),
        Message = $"开始执行 ({total} 个节点)",
        Current = finished,
        Total = total,
        Timestamp = at,
        Data = new { kind = execution.Kind, status = "running" },
    };

    public static ProgressEvent Node(ExecutionRecord execution, NodeResultRecord node, int finished, int total, DateTimeOffset at) => new()
    {
        TaskId = execution.TaskId,
        Type = ProgressEventTypes.Progress,
        Progress = ProgressEvent.Percent(finished, total),
        Message = node.Status == NodeStatus.Running ? $"{node.Node}: 开始执行" : $"{node.Node}: {Name(node.Status)}",
        Current = finished,
        Total = total,
        CurrentNode = node.Node,
        Timestamp = at,
        Data = new
        {
            kind = execution.Kind,
            status = "running",
            node = node.Node,
            node_status = Name(node.Status),
            exit_code = node.ExitCode,
            duration = node.Duration,
            error_code = node.ErrorCode,
        },
    };

    public static ProgressEvent Snapshot(ExecutionRecord execution, ExecutionCounts counts, DateTimeOffset at) => new()
    {
        TaskId = execution.TaskId,
        Type = execution.IsFinished ? ProgressEventTypes.Complete : ProgressEventTypes.Snapshot,
        Progress = execution.IsFinished ? 100 : ProgressEvent.Percent(counts.Finished, counts.Total),
        Message = execution.IsFinished ? $"执行结束: {Name(execution.Status)}" : $"{Name(execution.Status)}: {counts.Finished}/{counts.Total}",
        Current = counts.Finished,
        Total = counts.Total,
        Timestamp = at,
        Data = new
        {
            kind = execution.Kind,
            status = Name(execution.Status),
            success_count = counts.Success,
            failed_count = counts.FailedCount,
            counts,
            error = execution.Error,
        },
    };

    public static string Name(NodeStatus status) => Enum.GetName(status)!.ToLowerInvariant();

    public static string Name(ExecutionStatus status) => Enum.GetName(status)!.ToLowerInvariant();
}
