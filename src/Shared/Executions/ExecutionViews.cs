using System.Text.Json;
using System.Text.Json.Nodes;
using NodeOps.Json;

namespace NodeOps.Executions;

/// <summary>
/// The API's views of an execution, the same for every kind: the spec's fields, plus the kind's own summary fields
/// (command, script_name, playbook_name, ...) merged in at the top level.
/// </summary>
public static class ExecutionViews
{
    /// <summary>The answer to an execute request.</summary>
    public static JsonObject Started(ExecutionRecord execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var view = new JsonObject
        {
            ["task_id"] = execution.TaskId,
            ["id"] = execution.Id,
            ["status"] = ExecutionEvents.Name(execution.Status),
            ["cluster_name"] = execution.ClusterName,
            ["target_nodes"] = ToNode(execution.TargetNodes),
            ["timeout"] = execution.Timeout,
            ["max_concurrent"] = execution.MaxConcurrent,
            ["start_time"] = ToNode(execution.CreatedAt),
        };
        return Merge(view, execution.Summary);
    }

    /// <summary>A history row.</summary>
    public static JsonObject HistoryItem(ExecutionRecord execution, ExecutionCounts counts)
    {
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(counts);
        var view = new JsonObject
        {
            ["id"] = execution.Id,
            ["task_id"] = execution.TaskId,
        };
        Merge(view, execution.Summary);
        view["cluster_name"] = execution.ClusterName;
        view["target_nodes"] = ToNode(execution.TargetNodes);
        view["status"] = ExecutionEvents.Name(execution.Status);
        view["success_count"] = counts.Success;
        view["failed_count"] = counts.FailedCount;
        view["total_count"] = counts.Total;
        view["start_time"] = ToNode(execution.CreatedAt);
        view["end_time"] = ToNode(execution.EndedAt);
        view["duration"] = Duration(execution);
        view["user_id"] = execution.UserId;
        view["username"] = execution.Username;
        if (execution.ScheduleId is { } scheduleId)
        {
            view["trigger"] = "schedule";
            view["schedule_id"] = scheduleId;
        }

        return view;
    }

    /// <summary>The status view: the history row's fields, the counts per status, and every node's result.</summary>
    public static JsonObject Status(ExecutionRecord execution, ExecutionCounts counts, IReadOnlyList<NodeResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var view = HistoryItem(execution, counts);
        view["counts"] = ToNode(counts);
        view["timeout"] = execution.Timeout;
        view["max_concurrent"] = execution.MaxConcurrent;
        view["cancel_requested"] = execution.CancelRequested;
        view["cancelled_by"] = execution.CancelledBy;
        view["error"] = execution.Error;
        var array = new JsonArray();
        foreach (var result in results)
        {
            var node = result.Record;
            array.Add(new JsonObject
            {
                ["node"] = node.Node,
                ["status"] = ExecutionEvents.Name(node.Status),
                ["exit_code"] = node.ExitCode,
                ["stdout"] = result.Stdout,
                ["stderr"] = result.Stderr,
                ["duration"] = node.Duration,
                ["truncated"] = node.Truncated,
                ["message"] = node.Message,
                ["error_code"] = node.ErrorCode,
                ["start_time"] = ToNode(node.StartedAt),
                ["end_time"] = ToNode(node.EndedAt),
            });
        }

        view["results"] = array;
        return view;
    }

    /// <summary>Whole seconds from submission to the end; null while running.</summary>
    private static long? Duration(ExecutionRecord execution) =>
        execution.EndedAt is { } end ? (long)Math.Round((end - execution.CreatedAt).TotalSeconds) : null;

    private static JsonObject Merge(JsonObject view, JsonObject summary)
    {
        foreach (var (name, value) in summary)
        {
            view[name] = value?.DeepClone();
        }

        return view;
    }

    private static JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, NodeOpsJson.Options);
}
