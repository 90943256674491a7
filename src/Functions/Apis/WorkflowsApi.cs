using System.Text.Json.Serialization;
using NodeOps.Auth;
using NodeOps.Catalog;
using NodeOps.Features;
using NodeOps.Functions.Http;
using NodeOps.Functions.Security;
using NodeOps.Workflows;

namespace NodeOps.Functions.Apis;

/// <summary>Workflow definitions: viewers read, users create and update, admins delete. Built-ins cannot be deleted.</summary>
internal static class WorkflowsApi
{
    public static RouteGroupBuilder MapWorkflowsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/automation/workflows").WithTags("Workflows").RequireFeature(Capability.Workflows);
        group.MapGet("/", ListAsync).RequireRole(Role.Viewer);
        group.MapGet("/{id}", GetAsync).RequireRole(Role.Viewer);
        group.MapGet("/{id}/versions", ListVersionsAsync).RequireRole(Role.Viewer);
        group.MapGet("/{id}/versions/{version}", GetVersionAsync).RequireRole(Role.Viewer);
        group.MapPost("/", CreateAsync).RequireRole(Role.User);
        group.MapPut("/{id}", UpdateAsync).RequireRole(Role.User);
        group.MapDelete("/{id}", DeleteAsync).RequireRole(Role.Admin);
        return group;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, WorkflowService workflows, CancellationToken cancellationToken)
    {
        var paging = Paging.From(request);
        var page = await workflows.ListAsync(CatalogQuery.Filter(request), paging.Skip, paging.PageSize, cancellationToken);
        return Envelope.Ok(new { total = page.Total, page = paging.Page, page_size = paging.PageSize, workflows = page.Items });
    }

    private static async Task<IResult> GetAsync(string id, WorkflowService workflows, CancellationToken cancellationToken) =>
        Envelope.Ok(await workflows.GetAsync(RouteIds.Parse(id), cancellationToken));

    private static async Task<IResult> ListVersionsAsync(string id, HttpRequest request, WorkflowService workflows, CancellationToken cancellationToken)
    {
        var workflowId = RouteIds.Parse(id);
        var paging = Paging.From(request);
        var page = await workflows.ListVersionsAsync(workflowId, paging.Skip, paging.PageSize, cancellationToken);
        return Envelope.Ok(new { total = page.Total, page = paging.Page, page_size = paging.PageSize, versions = page.Items });
    }

    private static async Task<IResult> GetVersionAsync(string id, string version, WorkflowService workflows, CancellationToken cancellationToken) =>
        Envelope.Ok(await workflows.GetVersionAsync(RouteIds.Parse(id), CatalogQuery.Version(version), cancellationToken));

    private static async Task<IResult> CreateAsync(CreateWorkflowRequest request, HttpContext http, WorkflowService workflows)
    {
        var input = new WorkflowInput(request.Name, request.Description, request.Category, request.Tags, request.Definition, request.IsActive);
        return Envelope.Created(await workflows.CreateAsync(input, http.GetActor(), http.RequestAborted));
    }

    private static async Task<IResult> UpdateAsync(string id, UpdateWorkflowRequest request, HttpContext http, WorkflowService workflows)
    {
        var workflowId = RouteIds.Parse(id);
        var input = new WorkflowInput(request.Name, request.Description, request.Category, request.Tags, request.Definition, request.IsActive);
        return Envelope.Ok(await workflows.UpdateAsync(workflowId, input, http.GetActor(), http.RequestAborted), "更新成功");
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, WorkflowService workflows)
    {
        await workflows.DeleteAsync(RouteIds.Parse(id), http.GetActor(), http.RequestAborted);
        return Envelope.Ok("删除成功");
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record CreateWorkflowRequest(
        string Name, WorkflowDefinition Definition, string? Description = null, string? Category = null, IReadOnlyList<string>? Tags = null, bool? IsActive = null);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record UpdateWorkflowRequest(
        string? Name = null, WorkflowDefinition? Definition = null, string? Description = null, string? Category = null, IReadOnlyList<string>? Tags = null, bool? IsActive = null);
}
