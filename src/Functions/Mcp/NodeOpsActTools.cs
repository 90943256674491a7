using System.ComponentModel;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NodeOps.Auth;
using Role = NodeOps.Auth.Role;
using NodeOps.Executions;
using NodeOps.Executions.Kinds;
using NodeOps.Features;
using NodeOps.Functions.Apis;
using NodeOps.Functions.Http;

#pragma warning disable CA1707 // MCP argument names are the parameter names; they follow the REST API's snake_case.

namespace NodeOps.Functions.Mcp;

/// <summary>
/// The act tools of NodeOps's MCP server (role user). Each goes through the same code as its REST route: the same
/// starter (field checks and the dangerous-command guard), the same feature switch, the same cancel. Starting a
/// workflow run is not offered yet.
/// </summary>
[McpServerToolType]
internal sealed class NodeOpsActTools(ExecutionStarter starter, AnsibleRunService ansible, ExecutionService executions)
{
    [McpServerTool(Name = "run_ssh_command", Destructive = true), Description("Run a shell command over SSH on some of a cluster's nodes. Destructive commands are refused by NodeOps's guard. Answers at once with the task id; follow it with get_execution.")]
    public Task<string> RunSshCommandAsync(
        RequestContext<CallToolRequestParams> context,
        [Description("Cluster name")] string cluster_name,
        [Description("Node names in that cluster")] string[] target_nodes,
        [Description("SSH credential id")] long credential_id,
        [Description("The shell command")] string command,
        [Description("Seconds per node, 1 to 3600")] int? timeout = null,
        [Description("Nodes at once")] int? max_concurrent = null,
        [Description("Allow reboot, shutdown and other power actions")] bool allow_power_actions = false,
        CancellationToken cancellationToken = default) =>
        McpCalls.RunAsync(context, Role.User, () => Capability.Ssh, async actor => ExecutionViews.Started(await starter.SshCommandAsync(
            new SshApi.SshExecuteRequest(cluster_name, target_nodes, credential_id, command, timeout, max_concurrent, allow_power_actions), actor, cancellationToken)));

    [McpServerTool(Name = "run_script", Destructive = true), Description("Run a catalog script on some of a cluster's nodes with its declared parameters. Answers at once with the task id.")]
    public Task<string> RunScriptAsync(
        RequestContext<CallToolRequestParams> context,
        [Description("Catalog script id")] long script_id,
        [Description("Cluster name")] string cluster_name,
        [Description("Node names in that cluster")] string[] target_nodes,
        [Description("SSH credential id")] long credential_id,
        [Description("The script's declared parameters, by name")] Dictionary<string, string>? parameters = null,
        [Description("Seconds per node, 1 to 3600")] int? timeout = null,
        [Description("Nodes at once")] int? max_concurrent = null,
        [Description("Allow reboot, shutdown and other power actions")] bool allow_power_actions = false,
        CancellationToken cancellationToken = default) =>
        McpCalls.RunAsync(context, Role.User, () => Capability.Scripts, async actor => ExecutionViews.Started(await starter.ScriptAsync(
            new ScriptRunsApi.ScriptExecuteRequest(script_id, cluster_name, target_nodes, credential_id, parameters, timeout, max_concurrent, allow_power_actions), actor, cancellationToken)));

    [McpServerTool(Name = "run_playbook", Destructive = true), Description("Run a catalog Ansible playbook on some of a cluster's nodes. Answers at once with the task id.")]
    public Task<string> RunPlaybookAsync(
        RequestContext<CallToolRequestParams> context,
        [Description("Catalog playbook id")] long playbook_id,
        [Description("Cluster name")] string cluster_name,
        [Description("Node names in that cluster")] string[] target_nodes,
        [Description("SSH credential id")] long credential_id,
        [Description("Only --check, --diff, --tags, --skip-tags, --limit, --start-at-task, -v to -vvv")] string? extra_args = null,
        [Description("Extra variables (a JSON object)")] JsonObject? extra_vars = null,
        CancellationToken cancellationToken = default) =>
        McpCalls.RunAsync(context, Role.User, () => Capability.Ansible, async actor => ExecutionViews.Started(await ansible.SubmitAsync(
            new AnsibleRunCommand(playbook_id, cluster_name, target_nodes, credential_id, extra_args, extra_vars), actor, cancellationToken)));

    [McpServerTool(Name = "cancel_execution", Destructive = true, Idempotent = true), Description("Cancel a running execution; its remote processes are stopped.")]
    public Task<string> CancelAsync(
        RequestContext<CallToolRequestParams> context,
        [Description(ExecutionKinds.Description)] string kind,
        [Description("The task id")] string task_id,
        CancellationToken cancellationToken = default) =>
        McpCalls.RunAsync(context, Role.User, () => ExecutionKinds.Switch(kind), async actor =>
        {
            var execution = await executions.CancelAsync(kind, RouteIds.TaskId(task_id), actor, cancellationToken);
            return new { task_id = execution.TaskId, message = "取消成功" };
        });
}
