using System.Text.Json;
using System.Text.Json.Nodes;
using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Catalog;
using NodeOps.Clusters;
using NodeOps.Errors;
using NodeOps.Executions;
using NodeOps.Features;
using NodeOps.Json;
using NodeOps.Kubernetes;
using NodeOps.Kubernetes.Nodes;
using NodeOps.Orchestration;
using NodeOps.Storage;

namespace NodeOps.Workflows.Runs;

/// <summary>
/// The front door of workflow runs: start (from the route, or from a schedule with its own instance id), read,
/// cancel, resume from the failed step, retry the failed nodes, and approve or reject a waiting approval. A run is an
/// execution of kind "workflow" whose task id is its orchestration's instance id, so history and roles match the
/// other executions.
/// </summary>
public sealed class WorkflowRuns(
    ExecutionStore executions,
    ExecutionService executionService,
    WorkflowStepStore steps,
    IWorkflowSource workflows,
    WorkflowDefinitionValidator validator,
    NodeTargets targets,
    FeatureService features,
    IKubernetesClients kubernetes,
    IOrchestrationClient orchestrations,
    SequenceGenerator sequences,
    AuditLog audit,
    TimeProvider time)
{
    public const string Kind = "workflow";
    public const int MaxParameters = 100;

    /// <summary>
    /// Validates the request exactly as POST /workflows/execute does and starts the run. With <paramref name="instanceId"/>
    /// (a workflow task id, see <see cref="TaskIds"/>) the run gets that id, and a second start with the same id returns
    /// the run already started instead of starting another.
    /// </summary>
    public async Task<ExecutionRecord> StartAsync(
        WorkflowExecuteRequest request, Actor actor, string? instanceId = null, long? scheduleId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (instanceId is not null && (!TaskIds.TryParse(instanceId, out var kind, out _) || kind != Kind))
        {
            throw new ArgumentException($"'{instanceId}' is not a workflow task id.", nameof(instanceId));
        }

        if (instanceId is not null && await executions.GetAsync(instanceId, cancellationToken).ConfigureAwait(false) is { } already)
        {
            return already;
        }

        var payload = await PayloadAsync(request, cancellationToken).ConfigureAwait(false);
        return await StartRunAsync(payload, request.ClusterName, request.TargetNodes, request.CredentialId, actor, instanceId, scheduleId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refuses <paramref name="request"/> exactly as <see cref="StartAsync"/> would, without starting anything (a schedule's target).</summary>
    public async Task ValidateAsync(WorkflowExecuteRequest request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var payload = await PayloadAsync(request, cancellationToken).ConfigureAwait(false);
        await CheckRunAsync(payload.Definition, request.ClusterName, request.TargetNodes, request.CredentialId, actor, cancellationToken).ConfigureAwait(false);
    }

    private async Task<WorkflowRunPayload> PayloadAsync(WorkflowExecuteRequest request, CancellationToken cancellationToken)
    {
        if (request.WorkflowId is not > 0)
        {
            throw NodeOpsException.BadRequest("workflow_id", "workflow_id 必须是正整数");
        }

        var parameters = CheckParameters(request.Parameters);
        var workflow = await workflows.FindWorkflowAsync(request.WorkflowId.Value, cancellationToken).ConfigureAwait(false)
            ?? throw NodeOpsException.NotFound($"工作流 ID {request.WorkflowId} 不存在或已停用");
        return new WorkflowRunPayload(workflow.Id, workflow.Name, workflow.Version, workflow.Definition, parameters);
    }

    /// <summary>The status view: the run, each step with its per-node results.</summary>
    public async Task<JsonObject> StatusAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var execution = await FindAsync(taskId, cancellationToken).ConfigureAwait(false);
        var rows = await steps.ListAsync(taskId, cancellationToken).ConfigureAwait(false);
        var nodes = await executions.ListNodesAsync(taskId, cancellationToken).ConfigureAwait(false);
        var counts = execution.Counts ?? ExecutionCounts.From(nodes.Select(n => n.Record.Status));
        return WorkflowRunViews.Status(execution, counts, rows, nodes.Select(n => n.Record).ToList(), time.GetUtcNow());
    }

    /// <summary>Cancels: steps not started are skipped, running ones stopped (a drain starts no more evictions), waits and approvals end.</summary>
    public async Task CancelAsync(string taskId, Actor actor, CancellationToken cancellationToken = default)
    {
        await executionService.CancelAsync(Kind, taskId, actor, cancellationToken).ConfigureAwait(false);
        var rows = await steps.ListAsync(taskId, cancellationToken).ConfigureAwait(false);
        foreach (var gate in rows.Where(r => r.IsGate && !r.Status.IsFinal() && r.Instance is not null))
        {
            await orchestrations.RaiseEventAsync(gate.Instance!, WorkflowEvents.Gate, new GateDecision(false, true, actor.DisplayName, null), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Approves or rejects the run's waiting approval (the one named, when several wait).</summary>
    public async Task DecideAsync(string taskId, bool approved, string? stepId, string? comment, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var execution = await FindAsync(taskId, cancellationToken).ConfigureAwait(false);
        var rows = await steps.ListAsync(taskId, cancellationToken).ConfigureAwait(false);
        var waiting = rows.Where(r => r.Status == StepNodeStatus.WaitingApproval && (stepId is null || r.StepId == stepId) && r.Instance is not null).ToList();
        if (execution.IsFinished || waiting.Count == 0)
        {
            throw NodeOpsException.Conflict(stepId is null ? $"任务 {taskId} 没有等待审批的步骤" : $"任务 {taskId} 的步骤 {stepId} 没有在等待审批", stepId is null ? null : "step_id");
        }

        foreach (var gate in waiting)
        {
            await orchestrations.RaiseEventAsync(gate.Instance!, WorkflowEvents.Gate, new GateDecision(approved, false, actor.DisplayName, comment), cancellationToken).ConfigureAwait(false);
        }

        await audit.RecordAsync("workflows", approved ? "approve" : "reject", actor.DisplayName,
            $"task {taskId} step {string.Join(", ", waiting.Select(w => w.StepId).Distinct())}{(string.IsNullOrWhiteSpace(comment) ? "" : ": " + comment)}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Continues a failed or cancelled run under the same task id: what succeeded stays (completed steps and nodes are
    /// not run again), everything else runs again from the failed step on.
    /// </summary>
    public async Task<ExecutionRecord> ResumeAsync(string taskId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var execution = await FindAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (execution.Status is not (ExecutionStatus.Failed or ExecutionStatus.Cancelled))
        {
            throw NodeOpsException.Conflict($"任务 {taskId} 状态为 {ExecutionEvents.Name(execution.Status)}，只有 failed 或 cancelled 的运行可以恢复");
        }

        var payload = execution.PayloadAs<WorkflowRunPayload>();
        var rows = await steps.ListAsync(taskId, cancellationToken).ConfigureAwait(false);
        await steps.DeleteAsync(taskId, rows.Where(r => r.Status != StepNodeStatus.Success), cancellationToken).ConfigureAwait(false);
        foreach (var node in await executions.ListNodesAsync(taskId, cancellationToken).ConfigureAwait(false))
        {
            var fresh = new NodeResultRecord { Node = node.Record.Node, Address = node.Record.Address, Port = node.Record.Port, Index = node.Record.Index };
            await executions.TryTransitionAsync(taskId, node, fresh, cancellationToken).ConfigureAwait(false);
        }

        var next = payload with { Generation = payload.Generation + 1 };
        var resumed = await executions.UpdateAsync(taskId, current => current.IsFinished ? current with
        {
            Status = ExecutionStatus.Pending,
            Payload = JsonSerializer.SerializeToElement(next, NodeOpsJson.Options),
            CancelRequested = false,
            CancelledBy = null,
            EndedAt = null,
            Counts = null,
            Error = null,
        } : null, cancellationToken).ConfigureAwait(false) ?? throw NodeOpsException.NotFound($"任务 {taskId} 不存在");
        await orchestrations.StartAsync(nameof(WorkflowOrchestrator), Start(taskId, next, execution.TargetNodes), taskId, cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync("workflows", "resume", actor.DisplayName, $"task {taskId}", cancellationToken).ConfigureAwait(false);
        return resumed;
    }

    /// <summary>A new run of the same workflow version, on the nodes that failed in this one.</summary>
    public async Task<ExecutionRecord> RetryAsync(string taskId, Actor actor, CancellationToken cancellationToken = default)
    {
        var execution = await FindAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (!execution.IsFinished)
        {
            throw NodeOpsException.Conflict($"任务 {taskId} 仍在运行，结束后才能重试失败节点");
        }

        var nodes = await executions.ListNodesAsync(taskId, cancellationToken).ConfigureAwait(false);
        var failed = nodes.Where(n => n.Record.Status.CountsAsFailed()).Select(n => n.Record.Node).ToList();
        if (failed.Count == 0)
        {
            throw NodeOpsException.Conflict($"任务 {taskId} 没有失败的节点");
        }

        var payload = execution.PayloadAs<WorkflowRunPayload>() with { Generation = 0, RetryOf = taskId };
        return await StartRunAsync(payload, execution.ClusterName, failed, execution.CredentialId, actor, null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Everything that can refuse a run before it starts: features, targets, the definition, Kubernetes, roles.</summary>
    private async Task<(IReadOnlyList<ResolvedNode> Nodes, List<string> Bypass)> CheckRunAsync(
        WorkflowDefinition definition, string? clusterName, IReadOnlyList<string>? targetNodes, long? credentialId, Actor actor, CancellationToken cancellationToken)
    {
        await EnsureFeaturesAsync(definition, cancellationToken).ConfigureAwait(false);
        var (nodes, _, _) = await targets.PrepareAsync(clusterName ?? "", targetNodes ?? [], credentialId ?? 0, null, null, cancellationToken).ConfigureAwait(false);
        WorkflowDefinitionValidator.ThrowIfAny(await validator.ValidateAsync(definition, cancellationToken: cancellationToken).ConfigureAwait(false));
        await CheckKubernetesAsync(definition, clusterName!, nodes, cancellationToken).ConfigureAwait(false);
        var bypass = definition.Steps!.Where(s => s.DisableEviction == true).Select(s => s.Id ?? "").ToList();
        if (bypass.Count > 0 && !actor.IsAtLeast(Role.Admin))
        {
            throw NodeOpsException.Forbidden($"步骤 {string.Join(", ", bypass)}: disable_eviction (绕过 PodDisruptionBudget 直接删除 Pod) 需要 admin 权限");
        }

        return (nodes, bypass);
    }

    private async Task<ExecutionRecord> StartRunAsync(
        WorkflowRunPayload payload, string? clusterName, IReadOnlyList<string>? targetNodes, long? credentialId, Actor actor, string? instanceId, long? scheduleId,
        CancellationToken cancellationToken)
    {
        var definition = payload.Definition;
        var (nodes, bypass) = await CheckRunAsync(definition, clusterName, targetNodes, credentialId, actor, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var execution = new ExecutionRecord
        {
            TaskId = instanceId ?? TaskIds.New(Kind, now),
            Id = await sequences.NextAsync("executions", cancellationToken).ConfigureAwait(false),
            Kind = Kind,
            ClusterName = clusterName!,
            TargetNodes = nodes.Select(n => n.Name).ToList(),
            CredentialId = credentialId!.Value,
            MaxConcurrent = nodes.Count,
            Payload = JsonSerializer.SerializeToElement(payload, NodeOpsJson.Options),
            Summary = new JsonObject
            {
                ["workflow_id"] = payload.WorkflowId,
                ["workflow_name"] = payload.WorkflowName,
                ["workflow_version"] = payload.WorkflowVersion,
                ["total_steps"] = definition.Steps!.Count,
                ["retry_of"] = payload.RetryOf,
            },
            UserId = actor.UserId,
            Username = actor.DisplayName,
            CreatedAt = now,
            ScheduleId = scheduleId,
        };
        var rows = nodes.Select((n, i) => new NodeResultRecord { Node = n.Name, Address = n.Address, Port = n.Port, Index = i }).ToList();
        try
        {
            await executions.InsertAsync(execution, rows, cancellationToken).ConfigureAwait(false);
        }
        catch (EntityAlreadyExistsException) when (instanceId is not null)
        {
            // Another instance started this very run (a schedule's due time) first.
            return await executions.GetAsync(instanceId, cancellationToken).ConfigureAwait(false)
                ?? throw NodeOpsException.Conflict($"任务 {instanceId} 正在由另一实例创建");
        }

        if (bypass.Count > 0)
        {
            await audit.RecordAsync("workflows", "disable_eviction", actor.DisplayName,
                $"task {execution.TaskId} workflow {payload.WorkflowName} steps {string.Join(", ", bypass)} nodes {string.Join(", ", execution.TargetNodes)}", cancellationToken).ConfigureAwait(false);
        }

        await orchestrations.StartAsync(nameof(WorkflowOrchestrator), Start(execution.TaskId, payload, execution.TargetNodes), execution.TaskId, cancellationToken).ConfigureAwait(false);
        return execution;
    }

    private static WorkflowRunStart Start(string taskId, WorkflowRunPayload payload, IReadOnlyList<string> nodes) =>
        new(taskId, payload.Generation, NodeOpsJson.Serialize(payload.Definition), nodes);

    private static Dictionary<string, string> CheckParameters(IReadOnlyDictionary<string, string>? parameters)
    {
        var checkedParameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parameters is null)
        {
            return checkedParameters;
        }

        if (parameters.Count > MaxParameters)
        {
            throw NodeOpsException.BadRequest("parameters", $"parameters 最多 {MaxParameters} 个");
        }

        foreach (var (name, value) in parameters)
        {
            if (!ScriptParameterRules.IsValidName(name))
            {
                throw NodeOpsException.BadRequest("parameters", $"参数名 '{CatalogRules.Printable(name)}' 不是允许的环境变量名 (字母、数字、下划线，不以数字开头)");
            }

            if (value is null || value.Length > WorkflowDefinitionValidator.MaxParameterValueLength || value.Contains('\0', StringComparison.Ordinal))
            {
                throw NodeOpsException.BadRequest("parameters", $"参数 {name} 的值必须是最多 {WorkflowDefinitionValidator.MaxParameterValueLength} 个字符、不含 NUL 的字符串");
            }

            checkedParameters[name] = value;
        }

        return checkedParameters;
    }

    /// <summary>The workflow switch, and the switch of every kind of step the workflow runs.</summary>
    private async Task EnsureFeaturesAsync(WorkflowDefinition definition, CancellationToken cancellationToken)
    {
        await features.EnsureEnabledAsync(Capability.Workflows, cancellationToken).ConfigureAwait(false);
        var types = (definition.Steps ?? []).Select(s => s?.StepType).ToHashSet();
        if (types.Contains(WorkflowStepType.Ssh) || types.Contains(WorkflowStepType.Reboot))
        {
            await features.EnsureEnabledAsync(Capability.Ssh, cancellationToken).ConfigureAwait(false);
        }

        if (types.Contains(WorkflowStepType.Script))
        {
            await features.EnsureEnabledAsync(Capability.Scripts, cancellationToken).ConfigureAwait(false);
        }

        if (types.Contains(WorkflowStepType.Ansible))
        {
            await features.EnsureEnabledAsync(Capability.Ansible, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>k8s steps need the cluster's kubeconfig and every target to be a Kubernetes node: a 422 naming the step and field otherwise.</summary>
    private async Task CheckKubernetesAsync(WorkflowDefinition definition, string clusterName, IReadOnlyList<ResolvedNode> nodes, CancellationToken cancellationToken)
    {
        var index = definition.Steps!.ToList().FindIndex(s => s.StepType == WorkflowStepType.K8s);
        if (index < 0)
        {
            return;
        }

        var step = definition.Steps![index];
        using var api = await kubernetes.OpenAsync(clusterName, cancellationToken).ConfigureAwait(false)
            ?? throw NodeOpsException.Invalid($"definition.steps[{index}].action", $"步骤 {step.Id}: 集群 {clusterName} 没有 kubeconfig，无法运行 k8s 步骤 ({step.Action})");
        var matches = await NodeMatcher.MatchAsync(api, nodes.Select(n => (n.Name, (string?)n.Address)).ToList(), cancellationToken).ConfigureAwait(false);
        var missing = matches.Where(m => m.Value is null).Select(m => m.Key).ToList();
        if (missing.Count > 0)
        {
            throw NodeOpsException.Invalid("target_nodes", $"步骤 {step.Id}: 节点 {string.Join(", ", missing)} 在集群 {clusterName} 的 Kubernetes 中不存在 (按名称与 InternalIP 均未找到)");
        }
    }

    private async Task<ExecutionRecord> FindAsync(string taskId, CancellationToken cancellationToken)
    {
        var execution = await executions.GetAsync(taskId, cancellationToken).ConfigureAwait(false);
        return execution is { Kind: Kind } ? execution : throw NodeOpsException.NotFound($"任务 {taskId} 不存在");
    }
}
