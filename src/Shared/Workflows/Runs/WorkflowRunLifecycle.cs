using NodeOps.Executions;
using NodeOps.Kubernetes;
using NodeOps.Kubernetes.Nodes;
using NodeOps.Progress;

namespace NodeOps.Workflows.Runs;

/// <summary>What the run's own activities do around the steps: start it, open and close waits and approvals, finish it.</summary>
public sealed class WorkflowRunLifecycle(ExecutionStore executions, WorkflowStepStore steps, IKubernetesClients kubernetes, IProgressPublisher progress, TimeProvider time)
{
    public async Task StartAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var started = await executions.UpdateAsync(taskId, current => current.Status == ExecutionStatus.Pending
            ? current with { Status = ExecutionStatus.Running, StartedAt = time.GetUtcNow() }
            : null, cancellationToken).ConfigureAwait(false);
        if (started is not null)
        {
            progress.Publish(ExecutionEvents.Start(started, 0, started.TargetNodes.Count, time.GetUtcNow()));
        }
    }

    /// <summary>Opens a wait or an approval for a batch; returns its outcome instead when it was decided already or the run is cancelled.</summary>
    public async Task<StepNodeOutcome?> OpenGateAsync(GateInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var execution = await executions.GetAsync(input.TaskId, cancellationToken).ConfigureAwait(false);
        if (execution is null || execution.CancelRequested)
        {
            return new StepNodeOutcome(StepNodeStatus.Cancelled, true);
        }

        StepNodeOutcome? decided = null;
        await steps.UpdateAsync(input.TaskId, input.StepId, "@" + input.Scope, current =>
        {
            if (current is { Status: var s } && s.IsFinal())
            {
                decided = new StepNodeOutcome(s, s == StepNodeStatus.Cancelled);
                return null;
            }

            return new StepNodeRecord
            {
                StepId = input.StepId,
                Node = "@" + input.Scope,
                Status = input.Approval ? StepNodeStatus.WaitingApproval : StepNodeStatus.Running,
                Attempt = 1,
                StartedAt = current?.StartedAt ?? time.GetUtcNow(),
                Instance = input.Instance,
                Progress = input.Approval ? "等待审批" : "等待中",
            };
        }, cancellationToken).ConfigureAwait(false);
        return decided;
    }

    public async Task CloseGateAsync(GateClose close, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(close);
        await steps.UpdateAsync(close.TaskId, close.StepId, "@" + close.Scope, current => current is null || current.Status.IsFinal() ? null : current with
        {
            Status = close.Status,
            EndedAt = time.GetUtcNow(),
            DecidedBy = close.DecidedBy,
            Progress = null,
            Output = close.Status == StepNodeStatus.Success && close.Message is { } m ? m : current.Output,
            Error = close.Status == StepNodeStatus.Success ? null : close.Message,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Brings the run to its final status: each node's row gets its outcome across the steps (nodes a stopped rolling
    /// run never started are skipped), steps still marked running lost their instance and become interrupted, and the
    /// counts come from the node rows.
    /// </summary>
    public async Task FinishAsync(WorkflowFinish finish, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(finish);
        var execution = await executions.GetAsync(finish.TaskId, cancellationToken).ConfigureAwait(false);
        if (execution is null || execution.IsFinished)
        {
            return;
        }

        var now = time.GetUtcNow();
        var rows = await steps.ListAsync(finish.TaskId, cancellationToken).ConfigureAwait(false);
        foreach (var open in rows.Where(r => !r.Status.IsFinal()))
        {
            await steps.UpdateAsync(finish.TaskId, open.StepId, open.Node, current => current is null || current.Status.IsFinal() ? null : current with
            {
                Status = open.IsGate ? StepNodeStatus.Cancelled : StepNodeStatus.Interrupted,
                EndedAt = now,
                Error = open.IsGate ? "执行已结束" : "运行该步骤的实例已中断，结果未知",
            }, cancellationToken).ConfigureAwait(false);
        }

        rows = await steps.ListAsync(finish.TaskId, cancellationToken).ConfigureAwait(false);
        var nodes = await executions.ListNodesAsync(finish.TaskId, cancellationToken).ConfigureAwait(false);
        var definition = execution.PayloadAs<WorkflowRunPayload>().Definition;
        var stillCordoned = await StillCordonedAsync(execution, definition, rows, nodes, finish.Nodes, cancellationToken).ConfigureAwait(false);
        foreach (var node in nodes)
        {
            var mine = rows.Where(r => r.Node == node.Record.Node).ToList();
            var outcome = finish.Nodes.GetValueOrDefault(node.Record.Node);
            var status = outcome switch
            {
                "success" => NodeStatus.Success,
                "failed" => NodeStatus.Failed,
                "cancelled" => NodeStatus.Cancelled,
                _ => NodeStatus.Skipped,
            };
            var failedStep = definition.Steps!
                .Select(s => mine.FirstOrDefault(r => r.StepId == s.Id && r.Status.IsFailure() && s.ContinueOnError != true))
                .FirstOrDefault(r => r is not null);
            var message = status switch
            {
                NodeStatus.Failed when failedStep is not null => $"步骤 {failedStep.StepId} {failedStep.Status.Name()}: {failedStep.Error}",
                NodeStatus.Failed => "被拒绝或超时的审批阻止了该节点",
                NodeStatus.Cancelled => "执行已取消",
                NodeStatus.Skipped when outcome is null => execution.CancelRequested ? "执行已取消，节点未开始" : "节点未开始: " + (finish.Error ?? "运行已停止"),
                _ => null,
            };
            if (stillCordoned.TryGetValue(node.Record.Node, out var cordonNote))
            {
                message = message is null ? cordonNote : message + "；" + cordonNote;
            }

            var next = node.Record with
            {
                Status = status,
                Message = message,
                StartedAt = mine.Min(r => r.StartedAt),
                EndedAt = mine.Max(r => r.EndedAt),
                ExitCode = failedStep?.ExitCode,
            };
            await executions.TryTransitionAsync(finish.TaskId, node, next, cancellationToken).ConfigureAwait(false);
        }

        var final = await executions.ListNodesAsync(finish.TaskId, cancellationToken).ConfigureAwait(false);
        var counts = ExecutionCounts.From(final.Select(n => n.Record.Status));
        var runStatus = execution.CancelRequested ? ExecutionStatus.Cancelled
            : final.All(n => n.Record.Status == NodeStatus.Success) ? ExecutionStatus.Completed
            : ExecutionStatus.Failed;
        var stored = await executions.UpdateAsync(finish.TaskId, current => current.IsFinished ? null : current with
        {
            Status = runStatus,
            EndedAt = time.GetUtcNow(),
            Counts = counts,
            Error = finish.Error,
            OpenLanes = [],
        }, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            progress.Publish(ExecutionEvents.Snapshot(stored, counts, time.GetUtcNow()) with { Type = ProgressEventTypes.Complete });
        }
    }

    /// <summary>
    /// Nodes this run cordoned and did not uncordon, each with what happened to it: with uncordon_on_failure they are
    /// uncordoned now, otherwise they stay cordoned and the node's result says so.
    /// </summary>
    private async Task<Dictionary<string, string>> StillCordonedAsync(
        ExecutionRecord execution, WorkflowDefinition definition, IReadOnlyList<StepNodeRecord> rows, IReadOnlyList<StoredNode> nodes, IReadOnlyDictionary<string, string> outcomes, CancellationToken cancellationToken)
    {
        var uncordonSteps = definition.Steps!.Where(s => s.ActionKind == K8sAction.Uncordon).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var cordoned = rows.Where(r => r.CordonedByRun).Select(r => r.Node)
            .Where(n => !rows.Any(r => r.Node == n && uncordonSteps.Contains(r.StepId) && r.Status == StepNodeStatus.Success))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (cordoned.Count == 0)
        {
            return notes;
        }

        var release = definition.UncordonOnFailure == true && (execution.CancelRequested || cordoned.Any(n => outcomes.GetValueOrDefault(n) != "success"));
        using var api = release ? await kubernetes.OpenAsync(execution.ClusterName, cancellationToken).ConfigureAwait(false) : null;
        foreach (var node in cordoned)
        {
            if (api is null)
            {
                notes[node] = "节点保持 cordon (由本次运行 cordon)";
                continue;
            }

            try
            {
                var record = nodes.First(n => n.Record.Node == node).Record;
                var kubeNode = await K8sStepAction.MatchAsync(api, record, cancellationToken).ConfigureAwait(false)
                    ?? throw new KubernetesApiException(404, "NotFound", $"节点 {node} 在 Kubernetes 中不存在");
                await NodeCordon.UncordonAsync(api, new CordonResult(kubeNode.Name, WasAlreadyUnschedulable: false), cancellationToken: cancellationToken).ConfigureAwait(false);
                notes[node] = "已按 uncordon_on_failure 恢复调度";
            }
            catch (KubernetesApiException ex)
            {
                notes[node] = "uncordon_on_failure 恢复调度失败，节点保持 cordon: " + ex.Message;
            }
        }

        return notes;
    }
}
