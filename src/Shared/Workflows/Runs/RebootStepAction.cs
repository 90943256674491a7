using Microsoft.Extensions.Options;
using NodeOps.Executions;
using NodeOps.Features;
using NodeOps.Kubernetes;
using NodeOps.Kubernetes.Nodes;
using NodeOps.Runners.Ssh;

namespace NodeOps.Workflows.Runs;

/// <summary>
/// Reboots the node over SSH with the configured command, then waits, under the step's timeout, until the node is
/// back: SSH answers, the boot id changed, and (when the cluster has a kubeconfig) the Kubernetes node is Ready with
/// a new boot id.
/// </summary>
public sealed class RebootStepAction(
    ISshRunner runner, CatalogPorts catalog, FeatureService features, IKubernetesClients kubernetes, NodeReadiness readiness, TimeProvider time, IOptions<WorkflowRunsOptions> options)
    : IWorkflowStepAction
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);

    public IReadOnlyCollection<WorkflowStepType> Types { get; } = [WorkflowStepType.Reboot];

    public async Task<StepRun> RunAsync(StepRunContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.Value;
        var timeout = TimeSpan.FromSeconds(context.Step.Timeout ?? settings.DefaultStepTimeoutSeconds);
        var started = time.GetTimestamp();
        var limit = (await features.GetAsync(cancellationToken).ConfigureAwait(false)).Ssh.OutputLimitBytes;

        var before = await ReadBootIdAsync(context, limit, cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return StepRun.Fail("重启前无法读取节点的 boot id");
        }

        using var api = await kubernetes.OpenAsync(context.Execution.ClusterName, cancellationToken).ConfigureAwait(false);
        var kubeNode = api is null ? null : await K8sStepAction.MatchAsync(api, context.Node, cancellationToken).ConfigureAwait(false);
        context.Report($"boot id {before}; 正在重启");
        var reboot = await SshStepAction.RunOnNodeAsync(runner, catalog, context, RemoteInvocation.ForCommand(settings.RebootCommand), ProbeTimeout, limit, cancellationToken).ConfigureAwait(false);
        if (reboot.Outcome == SshRunOutcome.Exited && reboot.ExitCode != 0)
        {
            return SshStepAction.ToStepRun(reboot) with { Error = $"重启命令失败，退出码 {reboot.ExitCode}" };
        }

        // The connection may drop as the node goes down: that is the reboot working, not a failure.
        string? after = null;
        while (time.GetElapsedTime(started) < timeout)
        {
            after = await ReadBootIdAsync(context, limit, cancellationToken).ConfigureAwait(false);
            if (after is not null && after != before)
            {
                break;
            }

            context.Report(after is null ? "等待节点 SSH 恢复" : "SSH 已恢复，boot id 未变，等待重启");
            await Task.Delay(settings.NodePollInterval, time, cancellationToken).ConfigureAwait(false);
        }

        if (after is null || after == before)
        {
            return new StepRun(StepNodeStatus.Timeout, Error: after is null ? $"{timeout.TotalSeconds:0} 秒内节点 SSH 未恢复" : $"{timeout.TotalSeconds:0} 秒内 boot id 未改变，节点未重启");
        }

        var output = $"boot id {before} -> {after}\n";
        if (api is not null && kubeNode is not null)
        {
            context.Report("SSH 已恢复，等待 Kubernetes 节点 Ready");
            var left = timeout - time.GetElapsedTime(started);
            var ready = await readiness.WaitReadyAsync(api, kubeNode.Name, left > TimeSpan.Zero ? left : TimeSpan.Zero, settings.NodePollInterval,
                kubeNode.BootId, p => context.Report(p.Message), cancellationToken).ConfigureAwait(false);
            if (!ready.Ready)
            {
                return new StepRun(StepNodeStatus.Timeout, Output: output, Error: $"节点 {kubeNode.Name} 未就绪: Ready={ready.LastStatus}");
            }

            output += $"Kubernetes 节点 {kubeNode.Name} Ready (boot id {ready.BootId})\n";
        }

        return new StepRun(StepNodeStatus.Success, Output: output);
    }

    private async Task<string?> ReadBootIdAsync(StepRunContext context, int limit, CancellationToken cancellationToken)
    {
        var run = await SshStepAction.RunOnNodeAsync(runner, catalog, context, RemoteInvocation.ForCommand(options.Value.BootIdCommand), ProbeTimeout, limit, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return run is { Outcome: SshRunOutcome.Exited, ExitCode: 0 } && run.Stdout.Trim() is { Length: > 0 } id ? id : null;
    }
}
