using System.Text.Json.Nodes;
using NodeOps.Auth;
using NodeOps.Executions;
using NodeOps.Functions.Http;
using NodeOps.Functions.Security;

namespace NodeOps.Functions.Apis;

/// <summary>
/// Status, history and cancel, the same for every execution kind; each kind's API group maps them under its own
/// path ("/ssh/status/{task_id}", "/scripts/history", ...).
/// </summary>
internal static class ExecutionEndpoints
{
    /// <param name="group">The kind's route group.</param>
    /// <param name="kind">The execution kind the routes serve.</param>
    /// <param name="limitView">Trims a status or history view for the caller (a script run's parameter values).</param>
    public static RouteGroupBuilder MapExecutionQueries(this RouteGroupBuilder group, string kind, ExecutionViewLimit? limitView = null)
    {
        group.MapGet("/status/{taskId}", (string taskId, HttpContext http, ExecutionService executions) => StatusAsync(kind, taskId, http, executions, limitView))
            .RequireRole(Role.Viewer);
        return group.MapExecutionHistoryAndCancel(kind, limitView);
    }

    /// <summary>History and cancel alone, for a kind whose status view is its own (an Ansible run's recap and output).</summary>
    public static RouteGroupBuilder MapExecutionHistoryAndCancel(this RouteGroupBuilder group, string kind, ExecutionViewLimit? limitView = null)
    {
        group.MapExecutionHistory(kind, limitView);
        group.MapPost("/cancel/{taskId}", (string taskId, HttpContext http, ExecutionService executions) => CancelAsync(kind, taskId, http, executions))
            .RequireRole(Role.User);
        return group;
    }

    /// <summary>History alone, for a kind whose status and cancel are its own (a workflow run's steps, gates and resume).</summary>
    public static RouteGroupBuilder MapExecutionHistory(this RouteGroupBuilder group, string kind, ExecutionViewLimit? limitView = null)
    {
        group.MapGet("/history", (HttpContext http, ExecutionService executions) => HistoryAsync(kind, http, executions, limitView))
            .RequireRole(Role.Viewer);
        return group;
    }

    private static async Task<IResult> StatusAsync(string kind, string taskId, HttpContext http, ExecutionService executions, ExecutionViewLimit? limitView)
    {
        var (execution, results) = await executions.GetAsync(kind, RouteIds.TaskId(taskId), http.RequestAborted);
        var counts = await executions.CountsAsync(execution, http.RequestAborted);
        return Envelope.Ok(Limit(ExecutionViews.Status(execution, counts, results), execution, http, limitView));
    }

    private static JsonObject Limit(JsonObject view, ExecutionRecord execution, HttpContext http, ExecutionViewLimit? limitView)
    {
        limitView?.Invoke(view, execution, http.GetActor());
        return view;
    }

    private static async Task<IResult> HistoryAsync(string kind, HttpContext http, ExecutionService executions, ExecutionViewLimit? limitView)
    {
        var paging = Paging.From(http.Request);
        var q = http.Request.Query;
        var query = HistoryQuery.Parse(kind, q["cluster_name"], q["status"], q["start_date"], q["end_date"], paging.Skip, paging.PageSize, q["schedule_id"]);
        var (page, total) = await executions.HistoryAsync(query, http.RequestAborted);
        return Envelope.Ok(new
        {
            total,
            page = paging.Page,
            page_size = paging.PageSize,
            executions = page.Select(row => Limit(ExecutionViews.HistoryItem(row.Execution, row.Counts), row.Execution, http, limitView)).ToList(),
        });
    }

    private static async Task<IResult> CancelAsync(string kind, string taskId, HttpContext http, ExecutionService executions)
    {
        await executions.CancelAsync(kind, RouteIds.TaskId(taskId), http.GetActor(), http.RequestAborted);
        return Envelope.Ok("取消成功");
    }
}
