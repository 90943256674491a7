using System.ComponentModel;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NodeOps.Auth;
using Role = NodeOps.Auth.Role;
using NodeOps.Executions;
using NodeOps.Executions.Kinds;
using NodeOps.Features;
using NodeOps.Functions.Http;
using NodeOps.Workflows.Runs;

#pragma warning disable CA1707 // MCP argument names are the parameter names; they follow the REST API's snake_case.

namespace NodeOps.Functions.Mcp;

/// <summary>
/// The act tools of NodeOps's MCP server (role user). Each goes through the same code as its REST route: the same
/// validator (field checks and the dangerous-command guard), the same feature switch, the same cancel.
/// </summary>
[McpServerToolType]
internal sealed class NodeOpsActTools(
    SshCommandSubmissions sshCommands, ScriptRunSubmissions scripts, AnsibleRunService ansible, WorkflowRuns workflows, ExecutionService executions)
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
        McpCalls.RunAsync(context, Role.User, () => Capability.Ssh, async actor => ExecutionViews.Started(await executions.SubmitAsync(
            await sshCommands.PrepareAsync(
                new SshCommandRequest(cluster_name, target_nodes, credential_id, command, timeout, max_concurrent, allow_power_actions), actor, cancellationToken),
            cancellationToken)));

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
        McpCalls.RunAsync(context, Role.User, () => Capability.Scripts, async actor => ExecutionViews.Started(await executions.SubmitAsync(
            await scripts.PrepareAsync(
                new ScriptRunRequest(script_id, cluster_name, target_nodes, credential_id, parameters, timeout, max_concurrent, allow_power_actions), actor, cancellationToken),
            cancellationToken)));

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

    [McpServerTool(Name = "run_workflow", Destructive = true), Description("Run a workflow (a DAG of ssh, script, ansible, k8s, reboot, wait and approval steps) on some of a cluster's nodes. Answers at once with the task id; follow it with get_execution (kind workflow).")]
    public Task<string> RunWorkflowAsync(
        RequestContext<CallToolRequestParams> context,
        [Description("Workflow id")] long workflow_id,
        [Description("Cluster name")] string cluster_name,
        [Description("Node names in that cluster")] string[] target_nodes,
        [Description("SSH credential id")] long credential_id,
        [Description("Workflow parameters, by name; steps see them as environment variables and extra vars")] Dictionary<string, string>? parameters = null,
        CancellationToken cancellationToken = default) =>
        McpCalls.RunAsync(context, Role.User, () => Capability.Workflows, async actor => WorkflowRunViews.Started(await workflows.StartAsync(
            new WorkflowExecuteRequest(workflow_id, cluster_name, target_nodes, credential_id, parameters), actor, cancellationToken: cancellationToken)));

    [McpServerTool(Name = "cancel_execution", Destructive = true, Idempotent = true), Description("Cancel a running execution; its remote processes are stopped.")]
    public Task<string> CancelAsync(
        RequestContext<CallToolRequestParams> context,
        [Description(ExecutionKinds.Description)] string kind,
        [Description("The task id")] string task_id,
        CancellationToken cancellationToken = default) =>
        McpCalls.RunAsync(context, Role.User, () => ExecutionKinds.Switch(kind), async actor =>
        {
            var taskId = RouteIds.TaskId(task_id);
            if (kind == WorkflowRuns.Kind)
            {
                // A workflow's cancel also closes the gates (approvals, waits) it is paused at, as its route does.
                await workflows.CancelAsync(taskId, actor, cancellationToken);
                return new { task_id = taskId, message = "取消成功" };
            }

            var execution = await executions.CancelAsync(kind, taskId, actor, cancellationToken);
            return new { task_id = execution.TaskId, message = "取消成功" };
        });
}
