using System.Text.Json;
using System.Text.Json.Nodes;
using NodeOps.Json;
using NodeOps.Runners.Ansible;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// The playbook run's status view: the engine's history fields (task, playbook, counts, times, user), plus the
/// spec's output and per-node results {node, status, message}, the recap per host, the current play and task
/// while it runs, and where the shown output sits within the whole (for paging with output_offset).
/// </summary>
public static class AnsibleRunViews
{
    public static JsonObject Status(ExecutionRecord execution, ExecutionCounts counts, IReadOnlyList<NodeResult> results, AnsibleRunState? state, AnsibleOutputPage output, int? queuePosition)
    {
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(output);
        var view = ExecutionViews.HistoryItem(execution, counts);
        view["counts"] = ToNode(counts);
        view["timeout"] = execution.Timeout;
        view["cancel_requested"] = execution.CancelRequested;
        view["cancelled_by"] = execution.CancelledBy;
        view["error"] = execution.Error;
        view["queue_position"] = queuePosition;
        view["current_play"] = execution.IsFinished ? null : state?.Play;
        view["current_task"] = execution.IsFinished ? null : state?.Task;
        view["output"] = output.Text;
        view["output_offset"] = output.Offset;
        view["output_next_offset"] = output.NextOffset;
        view["output_start"] = output.Start;
        view["output_total"] = output.Total;
        view["output_truncated"] = output.Truncated;

        var hosts = state?.Hosts ?? new Dictionary<string, AnsibleHostState>();
        var recap = new JsonObject();
        var array = new JsonArray();
        foreach (var result in results)
        {
            var node = result.Record;
            var host = hosts.GetValueOrDefault(node.Node);
            if (host is not null)
            {
                recap[node.Node] = Recap(host.Recap);
            }

            array.Add(new JsonObject
            {
                ["node"] = node.Node,
                ["status"] = ExecutionEvents.Name(node.Status),
                ["message"] = node.Message ?? (node.Status == NodeStatus.Running && host?.Task is { } task ? $"TASK [{task}]" : null),
                ["error_code"] = node.ErrorCode,
                ["recap"] = host is null ? null : Recap(host.Recap),
                ["task"] = host?.Task,
                ["start_time"] = ToNode(node.StartedAt),
                ["end_time"] = ToNode(node.EndedAt),
                ["duration"] = node.Duration,
            });
        }

        view["results"] = array;
        view["recap"] = recap;
        view["recap_final"] = state?.RecapFinal ?? false;
        return view;
    }

    private static JsonObject Recap(AnsibleHostRecap recap) => new()
    {
        ["ok"] = recap.Ok,
        ["changed"] = recap.Changed,
        ["failed"] = recap.Failed,
        ["unreachable"] = recap.Unreachable,
        ["skipped"] = recap.Skipped,
        ["rescued"] = recap.Rescued,
        ["ignored"] = recap.Ignored,
    };

    private static JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, NodeOpsJson.Options);
}
