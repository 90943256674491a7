using System.Globalization;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Executions;
using NodeOps.Executions.Kinds;
using NodeOps.Features;
using NodeOps.Functions.Http;
using NodeOps.Functions.Security;

namespace NodeOps.Functions.Apis;

/// <summary>Catalog playbooks run with ansible-playbook on a cluster's nodes: run, status, cancel, history.</summary>
internal static class AnsibleRunsApi
{
    public static RouteGroupBuilder MapAnsibleRunsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/automation/ansible").WithTags("Ansible runs").RequireFeature(Capability.Ansible);
        group.MapPost("/run", RunAsync).RequireRole(Role.User);
        group.MapGet("/status/{taskId}", StatusAsync).RequireRole(Role.Viewer);
        return group.MapExecutionHistoryAndCancel(AnsibleKind.Name);
    }

    private static async Task<IResult> RunAsync(AnsibleRunCommand request, HttpContext http, AnsibleRunService runs)
    {
        var execution = await runs.SubmitAsync(request, http.GetActor(), http.RequestAborted);
        return Envelope.Ok(ExecutionViews.Started(execution), "执行已启动");
    }

    private static async Task<IResult> StatusAsync(string taskId, HttpContext http, AnsibleRunService runs)
    {
        var query = http.Request.Query;
        var offset = Number(query["output_offset"], "output_offset");
        var limit = Number(query["output_limit"], "output_limit");
        var view = await runs.GetStatusAsync(
            RouteIds.TaskId(taskId),
            offset,
            limit is null ? null : (int)Math.Min(limit.Value, int.MaxValue),
            http.RequestAborted);
        return Envelope.Ok(view);
    }

    private static long? Number(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw NodeOpsException.BadRequest(field, $"{field} 必须是非负整数");
    }
}
