using Microsoft.Extensions.Options;
using NodeOps.Executions;
using NodeOps.Kubernetes;
using NodeOps.Kubernetes.Nodes;

namespace NodeOps.Workflows.Runs;

/// <summary>
/// k8s steps on the node's Kubernetes node (matched by name, then InternalIP): cordon, drain (which cordons first,
/// as kubectl drain does), wait_ready, and uncordon, which only uncordons a node this run cordoned: a node cordoned
/// before the run stays cordoned, and the step says so.
/// </summary>
public sealed class K8sStepAction(IKubernetesClients kubernetes, NodeDrainer drainer, NodeReadiness readiness, IOptions<WorkflowRunsOptions> options) : IWorkflowStepAction
{
    public IReadOnlyCollection<WorkflowStepType> Types { get; } = [WorkflowStepType.K8s];

    public async Task<StepRun> RunAsync(StepRunContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var api = await kubernetes.OpenAsync(context.Execution.ClusterName, cancellationToken).ConfigureAwait(false);
        if (api is null)
        {
            return StepRun.Fail($"集群 {context.Execution.ClusterName} 没有 kubeconfig");
        }

        var node = await MatchAsync(api, context.Node, cancellationToken).ConfigureAwait(false);
        if (node is null)
        {
            return StepRun.Fail($"节点 {context.Node.Node} 在 Kubernetes 中不存在 (按名称与 InternalIP {context.Node.Address} 均未找到)");
        }

        void Report(NodeProgress p) => context.Report(p.Message);
        switch (context.Step.ActionKind)
        {
            case K8sAction.Cordon:
            {
                var cordon = await NodeCordon.CordonAsync(api, node.Name, Report, cancellationToken).ConfigureAwait(false);
                return new StepRun(StepNodeStatus.Success, Output: cordon.WasAlreadyUnschedulable ? $"{node.Name} 在本次运行前已被 cordon\n" : $"{node.Name} 已 cordon\n",
                    CordonedByRun: !cordon.WasAlreadyUnschedulable);
            }

            case K8sAction.Drain:
                return await DrainAsync(api, node.Name, context, Report, cancellationToken).ConfigureAwait(false);
            case K8sAction.Uncordon:
                return await UncordonAsync(api, node.Name, context, Report, cancellationToken).ConfigureAwait(false);
            default:
            {
                var timeout = TimeSpan.FromSeconds(context.Step.Timeout ?? options.Value.DefaultStepTimeoutSeconds);
                var ready = await readiness.WaitReadyAsync(api, node.Name, timeout, options.Value.NodePollInterval, null, Report, cancellationToken).ConfigureAwait(false);
                return ready.Ready
                    ? new StepRun(StepNodeStatus.Success, Output: $"{node.Name} Ready\n")
                    : new StepRun(StepNodeStatus.Timeout, Error: $"{node.Name} 在 {timeout.TotalSeconds:0} 秒内未就绪: Ready={ready.LastStatus}{(ready.LastReason is { } r ? $" ({r})" : "")}");
            }
        }
    }

    /// <summary>The Kubernetes node behind a target: by name, then by InternalIP.</summary>
    public static async Task<KubernetesNode?> MatchAsync(IKubernetesApi api, NodeResultRecord node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        var matches = await NodeMatcher.MatchAsync(api, [(node.Node, node.Address)], cancellationToken).ConfigureAwait(false);
        return matches[node.Node];
    }

    private async Task<StepRun> DrainAsync(IKubernetesApi api, string name, StepRunContext context, Action<NodeProgress> report, CancellationToken cancellationToken)
    {
        var step = context.Step;
        var cordon = await NodeCordon.CordonAsync(api, name, report, cancellationToken).ConfigureAwait(false);
        var drainOptions = new DrainOptions
        {
            Force = step.Force == true,
            DeleteEmptyDirData = step.DeleteEmptydirData == true,
            DisableEviction = step.DisableEviction == true,
            GracePeriodSeconds = step.GracePeriod,
            Timeout = TimeSpan.FromSeconds(step.Timeout ?? options.Value.DefaultStepTimeoutSeconds),
            RetryDelay = options.Value.DrainRetryDelay,
            PollInterval = options.Value.DrainPollInterval,
        };
        try
        {
            var result = await drainer.DrainAsync(api, name, drainOptions, report, cancellationToken).ConfigureAwait(false);
            var output = $"evicted: {string.Join(", ", result.Evicted)}\n"
                + string.Concat(result.Skipped.Select(s => $"skipped {s.Pod}: {s.Reason}\n"))
                + string.Concat(result.Refused.Select(s => $"refused {s.Pod}: {s.Reason}\n"));
            return result.Succeeded
                ? new StepRun(StepNodeStatus.Success, Output: output, CordonedByRun: !cordon.WasAlreadyUnschedulable)
                : new StepRun(result.Error?.Contains("timed out", StringComparison.Ordinal) == true ? StepNodeStatus.Timeout : StepNodeStatus.Failed,
                    Output: output, Error: result.Error + "；节点保持 cordon", CordonedByRun: !cordon.WasAlreadyUnschedulable);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // No eviction starts after this point; the node stays cordoned, and the row says that this run cordoned it.
            return new StepRun(StepNodeStatus.Cancelled, Error: "驱逐已取消，不再发起新的驱逐；节点保持 cordon", CordonedByRun: !cordon.WasAlreadyUnschedulable);
        }
    }

    private static async Task<StepRun> UncordonAsync(IKubernetesApi api, string name, StepRunContext context, Action<NodeProgress> report, CancellationToken cancellationToken)
    {
        var rows = await context.Steps.ListAsync(context.Execution.TaskId, cancellationToken).ConfigureAwait(false);
        var ours = rows.Any(r => r.Node == context.Node.Node && r.CordonedByRun);
        if (!ours)
        {
            return new StepRun(StepNodeStatus.Success, Output: $"{name} 不是本次运行 cordon 的 (运行前已被 cordon，或本次未 cordon)，保持原状\n");
        }

        var result = await NodeCordon.UncordonAsync(api, new CordonResult(name, WasAlreadyUnschedulable: false), report, cancellationToken).ConfigureAwait(false);
        return new StepRun(StepNodeStatus.Success, Output: $"{name} {result.Message}\n");
    }
}
