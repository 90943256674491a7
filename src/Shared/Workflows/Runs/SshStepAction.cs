using System.Text;
using NodeOps.Executions;
using NodeOps.Features;
using NodeOps.Credentials;
using NodeOps.Runners.Ssh;

namespace NodeOps.Workflows.Runs;

/// <summary>
/// ssh and script steps over the engine's SSH runner. The run's parameters (and a script's defaults and the step's own
/// parameters) reach the node as environment variables of the remote shell, never spliced into the command text.
/// </summary>
public sealed class SshStepAction(ISshRunner runner, CatalogPorts catalog, FeatureService features) : IWorkflowStepAction
{
    public IReadOnlyCollection<WorkflowStepType> Types { get; } = [WorkflowStepType.Ssh, WorkflowStepType.Script];

    public async Task<StepRun> RunAsync(StepRunContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = context.Step;
        RemoteInvocation invocation;
        if (step.StepType == WorkflowStepType.Script)
        {
            var script = await catalog.Catalog.FindScriptAsync(step.ScriptId ?? 0, cancellationToken).ConfigureAwait(false);
            if (script is null)
            {
                return StepRun.Fail($"脚本 ID {step.ScriptId} 不存在或已停用");
            }

            var environment = script.Parameters.Where(p => p.Default is not null).ToDictionary(p => p.Name, p => p.Default!, StringComparer.Ordinal);
            Overlay(environment, context.Payload.Parameters);
            Overlay(environment, step.Parameters);
            invocation = RemoteInvocation.ForScript(script.Language, script.Content, environment);
        }
        else
        {
            invocation = RemoteInvocation.ForScript("shell", step.Command!, context.Payload.Parameters);
        }

        var settings = (await features.GetAsync(cancellationToken).ConfigureAwait(false)).Ssh;
        var timeout = TimeSpan.FromSeconds(step.Timeout ?? settings.Timeout);
        var run = await RunOnNodeAsync(runner, catalog, context, invocation, timeout, settings.OutputLimitBytes, cancellationToken).ConfigureAwait(false);
        return ToStepRun(run);
    }

    /// <summary>Runs an invocation on the step's node with the run's credential.</summary>
    internal static async Task<SshRunResult> RunOnNodeAsync(
        ISshRunner runner, CatalogPorts catalog, StepRunContext context, RemoteInvocation invocation, TimeSpan timeout, int outputLimit, CancellationToken cancellationToken)
    {
        SshCredential credential;
        try
        {
            credential = await catalog.Credentials.GetDecryptedAsync(context.Execution.CredentialId, cancellationToken).ConfigureAwait(false);
        }
        catch (Errors.NodeOpsException ex)
        {
            return new SshRunResult(SshRunOutcome.ConnectionFailed, null, "", "", false, TimeSpan.Zero, null, "凭据不可用: " + ex.Message, "CREDENTIAL_UNAVAILABLE");
        }

        var node = context.Node;
        var target = new SshTarget(context.Execution.ClusterName, node.Node, node.Address, node.Port > 0 ? node.Port : credential.Port, credential);
        return await runner.RunAsync(new SshRunRequest(target, invocation, timeout, outputLimit), cancellationToken).ConfigureAwait(false);
    }

    internal static StepRun ToStepRun(SshRunResult run)
    {
        var output = new StringBuilder(run.Stdout);
        if (run.Stderr.Length > 0)
        {
            output.Append(run.Stderr);
        }

        return run.Outcome switch
        {
            SshRunOutcome.Exited when run.ExitCode == 0 => new StepRun(StepNodeStatus.Success, 0, output.ToString()),
            SshRunOutcome.Exited => new StepRun(StepNodeStatus.Failed, run.ExitCode, output.ToString(), run.Message ?? $"退出码 {run.ExitCode}{(run.ExitSignal is { } s ? $" (signal {s})" : "")}"),
            SshRunOutcome.TimedOut => new StepRun(StepNodeStatus.Timeout, run.ExitCode, output.ToString(), run.Message ?? "超时"),
            SshRunOutcome.Stopped => new StepRun(StepNodeStatus.Cancelled, run.ExitCode, output.ToString(), run.Message ?? "已停止"),
            _ => new StepRun(StepNodeStatus.Failed, run.ExitCode, output.ToString(), run.Message ?? run.ErrorCode ?? "SSH 失败"),
        };
    }

    private static void Overlay(Dictionary<string, string> target, IReadOnlyDictionary<string, string>? values)
    {
        foreach (var (name, value) in values ?? new Dictionary<string, string>())
        {
            target[name] = value;
        }
    }
}
