using Microsoft.DurableTask;

namespace NodeOps.Workflows.Runs;

/// <summary>
/// Takes a batch of nodes through the workflow's DAG inside an orchestration: each step starts once its dependencies
/// are done (independent steps run side by side), on the nodes its condition admits; a step runs on each node as its
/// own activity, retried after a durable timer when the step says so. Waits and approvals hold the whole batch.
/// </summary>
internal static class WorkflowDag
{
    public static async Task<WorkflowBatchOutcome> RunAsync(TaskOrchestrationContext context, WorkflowBatchStart batch)
    {
        var definition = batch.Definition();
        var steps = definition.Steps!.ToDictionary(s => s.Id!, StringComparer.Ordinal);
        var results = new Dictionary<string, Task<Dictionary<string, StepNodeOutcome>>>(StringComparer.Ordinal);
        foreach (var id in WorkflowGraph.TopologicalOrder(definition.Steps!))
        {
            var step = steps[id];
            var dependencies = step.Dependencies.Select(d => (steps[d], results[d])).ToList();
            results[id] = RunStepAsync(context, batch, step, dependencies);
        }

        await Task.WhenAll(results.Values);
        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in batch.Nodes)
        {
            var statuses = steps.Values.Select(s => (Step: s, results[s.Id!].Result[node].Status)).ToList();
            outcomes[node] = statuses.Any(s => s.Status.IsFailure() && s.Step.ContinueOnError != true) ? "failed"
                : statuses.Any(s => s.Status == StepNodeStatus.Cancelled) ? "cancelled"
                : statuses.Any(s => s.Status == StepNodeStatus.Success) ? "success"
                : "skipped";
        }

        return new WorkflowBatchOutcome(outcomes, results.Values.Any(r => r.Result.Values.Any(o => o.CancelRequested)));
    }

    private static async Task<Dictionary<string, StepNodeOutcome>> RunStepAsync(
        TaskOrchestrationContext context, WorkflowBatchStart batch, WorkflowStep step, List<(WorkflowStep Step, Task<Dictionary<string, StepNodeOutcome>> Result)> dependencies)
    {
        await Task.WhenAll(dependencies.Select(d => d.Result));
        var cancelled = dependencies.Any(d => d.Result.Result.Values.Any(o => o.CancelRequested));
        var outcome = batch.Nodes.ToDictionary(n => n, _ => new StepNodeOutcome(StepNodeStatus.Skipped, cancelled), StringComparer.Ordinal);
        var admitted = cancelled ? [] : batch.Nodes.Where(n => Admits(step, dependencies.Select(d => (d.Step, d.Result.Result[n].Status)))).ToList();
        if (admitted.Count == 0)
        {
            return outcome;
        }

        if (step.StepType is WorkflowStepType.Wait or WorkflowStepType.Approval)
        {
            var gate = await RunGateAsync(context, batch, step);
            foreach (var node in admitted)
            {
                outcome[node] = gate;
            }

            return outcome;
        }

        var ran = await Task.WhenAll(admitted.Select(node => RunOnNodeAsync(context, batch.TaskId, step, node)));
        for (var i = 0; i < admitted.Count; i++)
        {
            outcome[admitted[i]] = ran[i];
        }

        return outcome;
    }

    /// <summary>The step's condition against how its dependencies went on this node; a failure under continue_on_error counts as done.</summary>
    private static bool Admits(WorkflowStep step, IEnumerable<(WorkflowStep Step, StepNodeStatus Status)> dependencies)
    {
        var list = dependencies.ToList();
        bool Failed((WorkflowStep Step, StepNodeStatus Status) d) => d.Status.IsFailure() && d.Step.ContinueOnError != true;
        bool Succeeded((WorkflowStep Step, StepNodeStatus Status) d) => d.Status == StepNodeStatus.Success || (d.Status.IsFailure() && d.Step.ContinueOnError == true);
        return step.ConditionKind switch
        {
            StepCondition.OnFailure => list.Any(Failed),
            StepCondition.Always => list.All(d => d.Status != StepNodeStatus.Cancelled),
            _ => list.All(Succeeded),
        };
    }

    private static async Task<StepNodeOutcome> RunOnNodeAsync(TaskOrchestrationContext context, string taskId, WorkflowStep step, string node)
    {
        var attempts = step.Retry?.MaxAttempts ?? 1;
        StepNodeOutcome result = new(StepNodeStatus.Failed, false);
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            try
            {
                result = await context.CallActivityAsync<StepNodeOutcome>(nameof(RunWorkflowStep), new StepNodeInput(taskId, step.Id!, node, attempt));
            }
            catch (TaskFailedException)
            {
                // The activity could not even record a result (the store is down); the step failed on this node.
                result = new StepNodeOutcome(StepNodeStatus.Failed, false);
            }

            if (!result.Status.IsFailure() || result.CancelRequested || attempt == attempts)
            {
                break;
            }

            if (step.Retry?.Delay is > 0 and var delay)
            {
                await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(delay), CancellationToken.None);
            }
        }

        return result;
    }

    /// <summary>A durable timer (wait) or an external event (approval), either of which a cancel ends early.</summary>
    private static async Task<StepNodeOutcome> RunGateAsync(TaskOrchestrationContext context, WorkflowBatchStart batch, WorkflowStep step)
    {
        var approval = step.StepType == WorkflowStepType.Approval;
        var opened = await context.CallActivityAsync<StepNodeOutcome?>(nameof(OpenWorkflowGate), new GateInput(batch.TaskId, step.Id!, batch.Scope, context.InstanceId, approval));
        if (opened is not null)
        {
            // Decided in an earlier life of the run (resume), or cancelled before it opened.
            return opened;
        }

        using var timerCancel = new CancellationTokenSource();
        using var eventCancel = new CancellationTokenSource();
        var seconds = approval ? step.Timeout : step.Seconds;
        var timer = seconds is { } s ? context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(s), timerCancel.Token) : null;
        var decision = context.WaitForExternalEvent<GateDecision>(WorkflowEvents.Gate, eventCancel.Token);
        var first = timer is null ? await Task.WhenAny(decision) : await Task.WhenAny(decision, timer);
        GateClose close;
        // Cancel (not CancelAsync): the timer's cancellation must run on the orchestration's own thread, in order.
        if (first == decision)
        {
            timerCancel.Cancel();
            var d = await decision;
            close = d.Cancelled ? new GateClose(batch.TaskId, step.Id!, batch.Scope, StepNodeStatus.Cancelled, d.By, "执行已取消")
                : !approval ? new GateClose(batch.TaskId, step.Id!, batch.Scope, StepNodeStatus.Success, null, null)
                : d.Approved ? new GateClose(batch.TaskId, step.Id!, batch.Scope, StepNodeStatus.Success, d.By, "已批准" + Comment(d))
                : new GateClose(batch.TaskId, step.Id!, batch.Scope, StepNodeStatus.Failed, d.By, "已拒绝" + Comment(d));
        }
        else
        {
            eventCancel.Cancel();
            close = approval
                ? new GateClose(batch.TaskId, step.Id!, batch.Scope, StepNodeStatus.Timeout, null, $"审批在 {seconds} 秒内未决定")
                : new GateClose(batch.TaskId, step.Id!, batch.Scope, StepNodeStatus.Success, null, null);
        }

        await context.CallActivityAsync<bool>(nameof(CloseWorkflowGate), close);
        return new StepNodeOutcome(close.Status, close.Status == StepNodeStatus.Cancelled);
    }

    private static string Comment(GateDecision decision) => string.IsNullOrWhiteSpace(decision.Comment) ? "" : ": " + decision.Comment;
}
