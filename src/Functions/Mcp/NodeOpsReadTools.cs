using System.ComponentModel;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NodeOps.Auth;
using Role = NodeOps.Auth.Role;
using NodeOps.Catalog;
using NodeOps.Clusters;
using NodeOps.Errors;
using NodeOps.Executions;
using NodeOps.Executions.Kinds;
using NodeOps.Functions.Apis;
using NodeOps.Functions.Http;
using NodeOps.Kubernetes;

#pragma warning disable CA1707 // MCP argument names are the parameter names; they follow the REST API's snake_case.

namespace NodeOps.Functions.Mcp;

/// <summary>The read tools of NodeOps's MCP server (role viewer): the same services and views as the REST reads.</summary>
[McpServerToolType]
internal sealed class NodeOpsReadTools(ClusterService clusters, ExecutionService executions, WorkflowService workflows, IKubernetesClients kubernetes)
{
    private const int MaxTailLines = 200;

    [McpServerTool(Name = "list_clusters", ReadOnly = true), Description("List the clusters NodeOps manages: name, default credential, whether a kubeconfig is set, node count.")]
    public Task<string> ListClustersAsync(RequestContext<CallToolRequestParams> context, [Description("Page, from 1")] int page = 1, [Description("Clusters per page, 1 to 100")] int page_size = 50, CancellationToken cancellationToken = default) =>
        McpCalls.RunAsync(context, Role.Viewer, null, async _ =>
        {
            var (skip, take) = Page(page, page_size);
            var (total, items) = await clusters.ListAsync(skip, take, cancellationToken);
            return new { total, page, page_size = take, clusters = items };
        });

    [McpServerTool(Name = "list_nodes", ReadOnly = true), Description("List a cluster's nodes (name, address, SSH port, labels) as NodeOps's inventory has them.")]
    public Task<string> ListNodesAsync(RequestContext<CallToolRequestParams> context, [Description("Cluster name")] string cluster_name, [Description("Page, from 1")] int page = 1, [Description("Nodes per page, 1 to 100")] int page_size = 100, CancellationToken cancellationToken = default) =>
        McpCalls.RunAsync(context, Role.Viewer, null, async _ =>
        {
            var (skip, take) = Page(page, page_size);
            var (total, items) = await clusters.ListNodesAsync(ClusterService.EnsureName(cluster_name), skip, take, cancellationToken);
            return new { total, page, page_size = take, nodes = items };
        });

    [McpServerTool(Name = "node_health", ReadOnly = true), Description("The Kubernetes view of a cluster's nodes: Ready condition and reason, schedulable or cordoned, kubelet version (needs the cluster's kubeconfig).")]
    public Task<string> NodeHealthAsync(RequestContext<CallToolRequestParams> context, [Description("Cluster name; empty for the default cluster")] string? cluster_name = null, CancellationToken cancellationToken = default) =>
        McpCalls.RunAsync(context, Role.Viewer, null, async _ =>
        {
            var name = string.IsNullOrEmpty(cluster_name) ? null : ClusterService.EnsureName(cluster_name);
            using var api = await kubernetes.OpenAsync(name, cancellationToken)
                ?? throw NodeOpsException.Invalid("cluster_name", name is null ? "没有默认集群，或默认集群没有 kubeconfig" : $"集群 {name} 不存在或没有 kubeconfig");
            try
            {
                var nodes = await api.ListNodesAsync(cancellationToken: cancellationToken);
                return new
                {
                    cluster = name,
                    ready = nodes.Count(n => n.Ready),
                    total = nodes.Count,
                    nodes = nodes.Select(n => new { name = n.Name, ready = n.Ready, ready_status = n.ReadyStatus, reason = n.ReadyReason, unschedulable = n.Unschedulable, kubelet_version = n.KubeletVersion }).ToList(),
                };
            }
            catch (KubernetesApiException ex)
            {
                throw new NodeOpsException(ErrorKind.Unavailable, ex.Message, code: "KUBERNETES_UNAVAILABLE");
            }
        });

    [McpServerTool(Name = "list_executions", ReadOnly = true), Description("Execution history of one kind, newest first: task id, cluster, status, counts, who started it.")]
    public Task<string> ListExecutionsAsync(
        RequestContext<CallToolRequestParams> context,
        [Description(ExecutionKinds.Description)] string kind,
        [Description("Only this cluster")] string? cluster_name = null,
        [Description("Only this status: pending, running, completed, failed, cancelled")] string? status = null,
        [Description("Page, from 1")] int page = 1,
        [Description("Executions per page, 1 to 100")] int page_size = 20,
        CancellationToken cancellationToken = default) =>
        McpCalls.RunAsync(context, Role.Viewer, () => ExecutionKinds.Switch(kind), async actor =>
        {
            var (skip, take) = Page(page, page_size);
            var (rows, total) = await executions.HistoryAsync(HistoryQuery.Parse(kind, cluster_name, status, null, null, skip, take), cancellationToken);
            return new { total, page, page_size = take, executions = rows.Select(row => Limit(kind, ExecutionViews.HistoryItem(row.Execution, row.Counts), row.Execution, actor)).ToList() };
        });

    [McpServerTool(Name = "get_execution", ReadOnly = true), Description("One execution's status, counts and per-node results, with the last lines of each node's output.")]
    public Task<string> GetExecutionAsync(
        RequestContext<CallToolRequestParams> context,
        [Description(ExecutionKinds.Description)] string kind,
        [Description("The task id the run was started with")] string task_id,
        [Description("Lines of each node's stdout and stderr to keep from the end, 0 to 200")] int tail_lines = 20,
        CancellationToken cancellationToken = default) =>
        McpCalls.RunAsync(context, Role.Viewer, () => ExecutionKinds.Switch(kind), async actor =>
        {
            if (tail_lines is < 0 or > MaxTailLines)
            {
                throw NodeOpsException.BadRequest("tail_lines", $"tail_lines 必须在 0 到 {MaxTailLines} 之间");
            }

            var (execution, results) = await executions.GetAsync(kind, RouteIds.TaskId(task_id), cancellationToken);
            var counts = await executions.CountsAsync(execution, cancellationToken);
            var view = Limit(kind, ExecutionViews.Status(execution, counts, results), execution, actor);
            foreach (var result in view["results"]!.AsArray().OfType<JsonObject>())
            {
                result["stdout"] = Tail(result["stdout"]?.GetValue<string>(), tail_lines);
                result["stderr"] = Tail(result["stderr"]?.GetValue<string>(), tail_lines);
            }

            return view;
        });

    [McpServerTool(Name = "list_workflows", ReadOnly = true), Description("Workflow definitions in the catalog: id, name, category, version, step count.")]
    public Task<string> ListWorkflowsAsync(RequestContext<CallToolRequestParams> context, [Description("Page, from 1")] int page = 1, [Description("Workflows per page, 1 to 100")] int page_size = 50, CancellationToken cancellationToken = default) =>
        McpCalls.RunAsync(context, Role.Viewer, null, async _ =>
        {
            var (skip, take) = Page(page, page_size);
            var listed = await workflows.ListAsync(new CatalogListFilter(), skip, take, cancellationToken);
            return new { total = listed.Total, page, page_size = take, workflows = listed.Items };
        });

    private static (int Skip, int Take) Page(int page, int pageSize)
    {
        if (page < 1)
        {
            throw NodeOpsException.BadRequest("page", "page 必须 ≥ 1");
        }

        if (pageSize is < 1 or > 100)
        {
            throw NodeOpsException.BadRequest("page_size", "page_size 必须在 1 到 100 之间");
        }

        return ((page - 1) * pageSize, pageSize);
    }

    /// <summary>A script run's parameter values are shown to its owner and admins only, as on the REST reads.</summary>
    private static JsonObject Limit(string kind, JsonObject view, ExecutionRecord execution, Actor actor)
    {
        if (kind == ScriptKind.Name)
        {
            ScriptRunsApi.ShowParameterValuesToOwnerAndAdmins(view, execution, actor);
        }

        return view;
    }

    private static string? Tail(string? text, int lines)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var all = text.TrimEnd('\n').Split('\n');
        if (all.Length <= lines)
        {
            return text;
        }

        return lines == 0 ? "" : string.Join('\n', all[^lines..]) + (text.EndsWith('\n') ? "\n" : "");
    }
}
