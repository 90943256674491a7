using NodeOps.Errors;
using NodeOps.Executions.Kinds;
using NodeOps.Features;
using NodeOps.Workflows.Runs;

namespace NodeOps.Functions.Mcp;

/// <summary>The execution kinds the MCP tools name, with the feature switch of each (as their REST groups have).</summary>
internal static class ExecutionKinds
{
    private static readonly Dictionary<string, Capability> Switches = new(StringComparer.Ordinal)
    {
        [SshCommandKind.Name] = Capability.Ssh,
        [ScriptKind.Name] = Capability.Scripts,
        [AnsibleKind.Name] = Capability.Ansible,
        [WorkflowRuns.Kind] = Capability.Workflows,
    };

    public const string Description = "ssh (SSH command), script (catalog script run), ansible (playbook run) or workflow (workflow run)";

    public static Capability Switch(string kind) => Switches.TryGetValue(kind ?? "", out var capability)
        ? capability
        : throw NodeOpsException.BadRequest("kind", $"kind 必须是以下之一：{string.Join(", ", Switches.Keys)}");
}
