using System.Text.Json.Serialization;
using NodeOps.Auth;
using NodeOps.Catalog;
using NodeOps.Features;
using NodeOps.Functions.Http;
using NodeOps.Functions.Security;

namespace NodeOps.Functions.Apis;

/// <summary>Ansible playbooks: viewers read, users create and update, admins delete. Built-ins cannot be deleted.</summary>
internal static class PlaybooksApi
{
    public static RouteGroupBuilder MapPlaybooksApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/automation/ansible/playbooks").WithTags("Playbooks").RequireFeature(Capability.Ansible);
        group.MapGet("/", ListAsync).RequireRole(Role.Viewer);
        group.MapGet("/{id}", GetAsync).RequireRole(Role.Viewer);
        group.MapGet("/{id}/versions", ListVersionsAsync).RequireRole(Role.Viewer);
        group.MapGet("/{id}/versions/{version}", GetVersionAsync).RequireRole(Role.Viewer);
        group.MapPost("/", CreateAsync).RequireRole(Role.User);
        group.MapPut("/{id}", UpdateAsync).RequireRole(Role.User);
        group.MapDelete("/{id}", DeleteAsync).RequireRole(Role.Admin);
        return group;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, PlaybookService playbooks, CancellationToken cancellationToken)
    {
        var paging = Paging.From(request);
        var page = await playbooks.ListAsync(CatalogQuery.Filter(request), paging.Skip, paging.PageSize, cancellationToken);
        return Envelope.Ok(new { total = page.Total, page = paging.Page, page_size = paging.PageSize, playbooks = page.Items });
    }

    private static async Task<IResult> GetAsync(string id, PlaybookService playbooks, CancellationToken cancellationToken) =>
        Envelope.Ok(await playbooks.GetAsync(RouteIds.Parse(id), cancellationToken));

    private static async Task<IResult> ListVersionsAsync(string id, HttpRequest request, PlaybookService playbooks, CancellationToken cancellationToken)
    {
        var playbookId = RouteIds.Parse(id);
        var paging = Paging.From(request);
        var page = await playbooks.ListVersionsAsync(playbookId, paging.Skip, paging.PageSize, cancellationToken);
        return Envelope.Ok(new { total = page.Total, page = paging.Page, page_size = paging.PageSize, versions = page.Items });
    }

    private static async Task<IResult> GetVersionAsync(string id, string version, PlaybookService playbooks, CancellationToken cancellationToken) =>
        Envelope.Ok(await playbooks.GetVersionAsync(RouteIds.Parse(id), CatalogQuery.Version(version), cancellationToken));

    private static async Task<IResult> CreateAsync(CreatePlaybookRequest request, HttpContext http, PlaybookService playbooks)
    {
        var input = new PlaybookInput(request.Name, request.Description, request.Content, request.Category, request.Tags, request.IsActive);
        return Envelope.Created(await playbooks.CreateAsync(input, http.GetActor(), http.RequestAborted));
    }

    private static async Task<IResult> UpdateAsync(string id, UpdatePlaybookRequest request, HttpContext http, PlaybookService playbooks)
    {
        var playbookId = RouteIds.Parse(id);
        var input = new PlaybookInput(request.Name, request.Description, request.Content, request.Category, request.Tags, request.IsActive);
        return Envelope.Ok(await playbooks.UpdateAsync(playbookId, input, http.GetActor(), http.RequestAborted), "更新成功");
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, PlaybookService playbooks)
    {
        await playbooks.DeleteAsync(RouteIds.Parse(id), http.GetActor(), http.RequestAborted);
        return Envelope.Ok("删除成功");
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record CreatePlaybookRequest(
        string Name, string Content, string? Description = null, string? Category = null, IReadOnlyList<string>? Tags = null, bool? IsActive = null);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record UpdatePlaybookRequest(
        string? Name = null, string? Description = null, string? Content = null, string? Category = null, IReadOnlyList<string>? Tags = null, bool? IsActive = null);
}
