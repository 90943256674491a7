using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NodeOps.Executions;
using NodeOps.Features;
using NodeOps.Runners.Ansible;

namespace NodeOps.Workflows.Runs;

/// <summary>An ansible step: the playbook runs (sandboxed, as every playbook does) on the step's node, with the run's parameters as extra vars.</summary>
public sealed class AnsibleStepAction(IAnsibleRunner runner, CatalogPorts catalog, FeatureService features) : IWorkflowStepAction
{
    public IReadOnlyCollection<WorkflowStepType> Types { get; } = [WorkflowStepType.Ansible];

    public async Task<StepRun> RunAsync(StepRunContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var playbook = await catalog.Catalog.FindPlaybookAsync(context.Step.PlaybookId ?? 0, cancellationToken).ConfigureAwait(false);
        if (playbook is null)
        {
            return StepRun.Fail($"Playbook ID {context.Step.PlaybookId} 不存在或已停用");
        }

        var credential = await catalog.Credentials.GetDecryptedAsync(context.Execution.CredentialId, cancellationToken).ConfigureAwait(false);
        var settings = (await features.GetAsync(cancellationToken).ConfigureAwait(false)).Ansible;
        var node = context.Node;
        var extraVars = new JsonObject();
        foreach (var (name, value) in context.Payload.Parameters)
        {
            extraVars[name] = value;
        }

        var request = new AnsibleRunRequest(
            "wf" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant(),
            context.Execution.ClusterName,
            playbook.Content,
            [new AnsibleHost(node.Node, node.Address, node.Port > 0 ? node.Port : credential.Port, new Dictionary<string, string>())],
            credential,
            extraVars,
            AnsibleArguments.None,
            settings.BinaryPath,
            settings.TempDir,
            1,
            TimeSpan.FromSeconds(context.Step.Timeout ?? settings.Timeout));
        var output = new OutputCollector();
        var result = await runner.RunAsync(request, output, cancellationToken).ConfigureAwait(false);
        var text = output.ToString();
        return result.Outcome switch
        {
            AnsibleRunOutcome.Exited when result.ExitCode == 0 => new StepRun(StepNodeStatus.Success, 0, text),
            AnsibleRunOutcome.TimedOut => new StepRun(StepNodeStatus.Timeout, result.ExitCode, text, result.Error ?? "超时"),
            AnsibleRunOutcome.Stopped => new StepRun(StepNodeStatus.Cancelled, result.ExitCode, text, result.Error ?? "已停止"),
            _ => new StepRun(StepNodeStatus.Failed, result.ExitCode, text, result.Error ?? $"ansible-playbook 退出码 {result.ExitCode}"),
        };
    }

    /// <summary>Keeps the tail of ansible-playbook's output.</summary>
    private sealed class OutputCollector : IAnsibleRunObserver
    {
        private readonly Lock _lock = new();
        private readonly StringBuilder _text = new();

        public void OnEvent(AnsibleEvent runEvent)
        {
        }

        public void OnOutput(string text)
        {
            lock (_lock)
            {
                _text.Append(text);
                if (_text.Length > WorkflowStepRunner.OutputTailChars * 2)
                {
                    _text.Remove(0, _text.Length - WorkflowStepRunner.OutputTailChars);
                }
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }
}
