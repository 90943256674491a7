using System.Globalization;
using Microsoft.DurableTask;

namespace NodeOps.Workflows.Runs;

/// <summary>
/// A workflow run as a Durable Task orchestration, instance id = task id. Parallel: every target goes through the
/// DAG together. Rolling: batches of batch_size (or max_unavailable) nodes each go through the whole workflow as a
/// sub-orchestration before the next starts, so no more than that many nodes are out of service at once; once the
/// failed share of targets exceeds max_fail_percentage (0 by default: the first failure) no new batch starts.
/// Steps record their own state in the table store; the API never reads this history.
/// </summary>
public sealed class WorkflowOrchestrator : TaskOrchestrator<WorkflowRunStart, bool>
{
    public override async Task<bool> RunAsync(TaskOrchestrationContext context, WorkflowRunStart input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var definition = input.Definition();
        await context.CallActivityAsync<bool>(nameof(StartWorkflowRun), input.TaskId);
        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        string? error = null;
        if (definition.StrategyKind == WorkflowStrategy.Parallel)
        {
            var outcome = await WorkflowDag.RunAsync(context, new WorkflowBatchStart(input.TaskId, input.DefinitionJson, input.Nodes, "all"));
            Merge(outcomes, outcome);
        }
        else
        {
            var limit = definition.MaxFailPercentage ?? 0;
            var batches = input.Nodes.Chunk(Math.Max(1, definition.RollingBatchSize)).ToList();
            for (var i = 0; i < batches.Count; i++)
            {
                var failed = outcomes.Values.Count(o => o == "failed");
                if (failed * 100.0 / input.Nodes.Count > limit)
                {
                    error = $"失败节点 {failed}/{input.Nodes.Count} 超过 max_fail_percentage ({limit}%)，其余 {input.Nodes.Count - outcomes.Count} 个节点未开始";
                    break;
                }

                var scope = "b" + i.ToString(CultureInfo.InvariantCulture);
                var outcome = await context.CallSubOrchestratorAsync<WorkflowBatchOutcome>(
                    nameof(WorkflowBatchOrchestrator),
                    new WorkflowBatchStart(input.TaskId, input.DefinitionJson, batches[i], scope),
                    new SubOrchestrationOptions { InstanceId = $"{input.TaskId}:g{input.Generation}:{scope}" });
                Merge(outcomes, outcome);
                if (outcome.CancelRequested)
                {
                    break;
                }
            }
        }

        await context.CallActivityAsync<bool>(nameof(FinishWorkflowRun), new WorkflowFinish(input.TaskId, outcomes, error));
        return true;
    }

    private static void Merge(Dictionary<string, string> outcomes, WorkflowBatchOutcome outcome)
    {
        foreach (var (node, status) in outcome.Nodes)
        {
            outcomes[node] = status;
        }
    }
}
