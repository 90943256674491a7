using System.Text.Json;
using System.Text.Json.Nodes;
using NodeOps.Executions;
using NodeOps.Json;

namespace NodeOps.Workflows.Runs;

/// <summary>The API's views of a workflow run, built from the stored run and step rows (never from orchestration history).</summary>
public static class WorkflowRunViews
{
    /// <summary>The answer to execute, resume and retry.</summary>
    public static JsonObject Started(ExecutionRecord execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var definition = execution.PayloadAs<WorkflowRunPayload>().Definition;
        var view = ExecutionViews.Started(execution);
        view["status"] = "running";
        view["current_step"] = WorkflowGraph.TopologicalOrder(definition.Steps!) is [var first, ..] ? first : null;
        view.Remove("timeout");
        view.Remove("max_concurrent");
        return view;
    }

    /// <summary>The run, each step with its per-node results, and each node's outcome across the steps ("results").</summary>
    public static JsonObject Status(ExecutionRecord execution, ExecutionCounts counts, IReadOnlyList<StepNodeRecord> rows, IReadOnlyList<NodeResultRecord> nodes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(nodes);
        var definition = execution.PayloadAs<WorkflowRunPayload>().Definition;
        var view = ExecutionViews.HistoryItem(execution, counts);
        view["counts"] = JsonSerializer.SerializeToNode(counts, NodeOpsJson.Options);
        view["cancel_requested"] = execution.CancelRequested;
        view["cancelled_by"] = execution.CancelledBy;
        view["error"] = execution.Error;
        var stepViews = new JsonArray();
        string? current = null;
        var waiting = false;
        foreach (var step in definition.Steps!)
        {
            var mine = rows.Where(r => r.StepId == step.Id).ToList();
            var status = StepStatus(execution, mine);
            waiting |= status == "waiting_approval";
            if (current is null && status is "running" or "waiting_approval")
            {
                current = step.Id;
            }

            stepViews.Add(StepView(execution, step, mine, status, now));
        }

        view["status"] = waiting && execution.Status == ExecutionStatus.Running ? "waiting_approval" : ExecutionEvents.Name(execution.Status);
        view["current_step"] = current ?? (execution.IsFinished ? null : definition.Steps!.FirstOrDefault(s => rows.All(r => r.StepId != s.Id))?.Id);
        view["steps"] = stepViews;
        view["results"] = new JsonArray(nodes.Select(n => (JsonNode)new JsonObject
        {
            ["node"] = n.Node,
            ["status"] = ExecutionEvents.Name(n.Status),
            ["exit_code"] = n.ExitCode,
            ["message"] = n.Message,
            ["start_time"] = Node(n.StartedAt),
            ["end_time"] = Node(n.EndedAt),
        }).ToArray());
        return view;
    }

    private static JsonObject StepView(ExecutionRecord execution, WorkflowStep step, List<StepNodeRecord> rows, string status, DateTimeOffset now)
    {
        var started = rows.Min(r => r.StartedAt);
        var ended = status is "pending" or "running" or "waiting_approval" ? null : rows.Max(r => r.EndedAt);
        var nodeRows = rows.Where(r => !r.IsGate).ToList();
        var finished = nodeRows.Count(r => r.Status.IsFinal());
        var view = new JsonObject
        {
            ["id"] = step.Id,
            ["name"] = step.Name,
            ["type"] = step.Type,
            ["status"] = status,
            ["start_time"] = Node(started),
            ["end_time"] = Node(ended),
            ["duration"] = started is { } s ? Math.Round(((ended ?? now) - s).TotalSeconds, 3) : null,
            ["result"] = status switch
            {
                "completed" => "success",
                "failed" or "skipped" or "cancelled" => status,
                _ => null,
            },
            ["progress"] = status == "completed" ? 100 : execution.TargetNodes.Count == 0 ? 0 : finished * 100 / execution.TargetNodes.Count,
            ["message"] = rows.Where(r => !r.Status.IsFinal()).Select(r => r.Progress).FirstOrDefault(p => p is not null),
        };
        if (step.Action is not null)
        {
            view["action"] = step.Action;
        }

        var gate = rows.FirstOrDefault(r => r.IsGate);
        if (gate is not null)
        {
            view["decided_by"] = gate.DecidedBy;
            view["error"] = gate.Error;
            view["output"] = gate.Output;
        }

        var nodes = new JsonArray();
        foreach (var row in nodeRows.OrderBy(r => IndexOf(execution, r.Node)))
        {
            nodes.Add(new JsonObject
            {
                ["node"] = row.Node,
                ["status"] = row.Status.Name(),
                ["exit_code"] = row.ExitCode,
                ["output"] = row.Output,
                ["error"] = row.Error,
                ["progress"] = row.Progress,
                ["attempt"] = row.Attempt,
                ["cordoned_by_run"] = step.StepType == WorkflowStepType.K8s ? row.CordonedByRun : null,
                ["start_time"] = Node(row.StartedAt),
                ["end_time"] = Node(row.EndedAt),
            });
        }

        view["nodes"] = nodes;
        return view;
    }

    /// <summary>
    /// A step's status across its rows: running while any row is open; otherwise failed if any failed, cancelled if any
    /// was cancelled, completed if any succeeded, skipped when it ran nowhere.
    /// </summary>
    private static string StepStatus(ExecutionRecord execution, List<StepNodeRecord> rows)
    {
        if (rows.Any(r => r.Status == StepNodeStatus.WaitingApproval))
        {
            return "waiting_approval";
        }

        if (rows.Any(r => !r.Status.IsFinal()))
        {
            return "running";
        }

        if (rows.Count == 0)
        {
            return execution.IsFinished ? "skipped" : "pending";
        }

        return rows.Any(r => r.Status.IsFailure()) ? "failed"
            : rows.Any(r => r.Status == StepNodeStatus.Cancelled) ? "cancelled"
            : rows.Any(r => r.Status == StepNodeStatus.Success) ? "completed"
            : "skipped";
    }

    private static int IndexOf(ExecutionRecord execution, string node)
    {
        for (var i = 0; i < execution.TargetNodes.Count; i++)
        {
            if (execution.TargetNodes[i] == node)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, NodeOpsJson.Options);
}
