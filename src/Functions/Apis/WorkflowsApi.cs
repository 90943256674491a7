using System.Text.Json.Serialization;
using NodeOps.Catalog;
using NodeOps.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Functions.Http;
using NodeOps.Functions.Security;
using NodeOps.Workflows;
using NodeOps.Workflows.Runs;

namespace NodeOps.Functions.Apis;

/// <summary>Workflow definitions (the catalog's route shape, <see cref="CatalogItemsApi"/>) and workflow runs.</summary>
internal static class WorkflowsApi
{
    private const string Prefix = "/api/v1/automation/workflows";

    public static RouteGroupBuilder MapWorkflowsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapWorkflowRuns();
        return routes.MapCatalogItems<WorkflowService, Workflow, WorkflowSummary, WorkflowVersion, WorkflowInput, CreateWorkflowRequest, UpdateWorkflowRequest>(
            new CatalogItemsRoute(Prefix, "Workflows", Capability.Workflows, "workflows"),
            r => new WorkflowInput(r.Name, r.Description, r.Category, r.Tags, r.Definition, r.IsActive),
            r => new WorkflowInput(r.Name, r.Description, r.Category, r.Tags, r.Definition, r.IsActive));
    }

    /// <summary>Workflow runs: execute, status, history, cancel, resume, retry, approve and reject. Literal segments win over the catalog's "/{id}".</summary>
    private static void MapWorkflowRuns(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Prefix).WithTags("Workflow runs").RequireFeature(Capability.Workflows);
        group.MapPost("/execute", ExecuteAsync).RequireRole(Role.User);
        group.MapGet("/status/{taskId}", async (string taskId, WorkflowRuns runs, HttpContext http) =>
            Envelope.Ok(await runs.StatusAsync(RouteIds.TaskId(taskId), http.RequestAborted))).RequireRole(Role.Viewer);
        group.MapExecutionHistory(WorkflowRuns.Kind);
        group.MapPost("/cancel/{taskId}", async (string taskId, WorkflowRuns runs, HttpContext http) =>
        {
            await runs.CancelAsync(RouteIds.TaskId(taskId), http.GetActor(), http.RequestAborted);
            return Envelope.Ok("取消成功");
        }).RequireRole(Role.User);
        group.MapPost("/resume/{taskId}", async (string taskId, WorkflowRuns runs, HttpContext http) =>
            Envelope.Ok(WorkflowRunViews.Started(await runs.ResumeAsync(RouteIds.TaskId(taskId), http.GetActor(), http.RequestAborted)), "已恢复执行")).RequireRole(Role.User);
        group.MapPost("/retry/{taskId}", async (string taskId, WorkflowRuns runs, HttpContext http) =>
            Envelope.Ok(WorkflowRunViews.Started(await runs.RetryAsync(RouteIds.TaskId(taskId), http.GetActor(), http.RequestAborted)), "已重试失败节点")).RequireRole(Role.User);
        group.MapPost("/approve/{taskId}", (string taskId, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] DecisionRequest? request, WorkflowRuns runs, HttpContext http) =>
            DecideAsync(taskId, true, request, runs, http)).RequireRole(Role.User);
        group.MapPost("/reject/{taskId}", (string taskId, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] DecisionRequest? request, WorkflowRuns runs, HttpContext http) =>
            DecideAsync(taskId, false, request, runs, http)).RequireRole(Role.User);
    }

    private static async Task<IResult> ExecuteAsync(WorkflowExecuteRequest request, WorkflowRuns runs, HttpContext http)
    {
        var execution = await runs.StartAsync(request, http.GetActor(), cancellationToken: http.RequestAborted);
        return Envelope.Ok(WorkflowRunViews.Started(execution), "执行已启动");
    }

    private static async Task<IResult> DecideAsync(string taskId, bool approved, DecisionRequest? request, WorkflowRuns runs, HttpContext http)
    {
        if (request?.Comment is { Length: > 1000 })
        {
            throw NodeOpsException.BadRequest("comment", "comment 最多 1000 个字符");
        }

        await runs.DecideAsync(RouteIds.TaskId(taskId), approved, request?.StepId, request?.Comment, http.GetActor(), http.RequestAborted);
        return Envelope.Ok(approved ? "已批准" : "已拒绝");
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record DecisionRequest(string? StepId = null, string? Comment = null);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record CreateWorkflowRequest(
        string Name, WorkflowDefinition Definition, string? Description = null, string? Category = null, IReadOnlyList<string>? Tags = null, bool? IsActive = null);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record UpdateWorkflowRequest(
        string? Name = null, WorkflowDefinition? Definition = null, string? Description = null, string? Category = null, IReadOnlyList<string>? Tags = null, bool? IsActive = null);
}
