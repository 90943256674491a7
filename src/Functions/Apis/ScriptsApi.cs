using System.Text.Json.Serialization;
using NodeOps.Auth;
using NodeOps.Catalog;
using NodeOps.Features;
using NodeOps.Functions.Http;
using NodeOps.Functions.Security;

namespace NodeOps.Functions.Apis;

/// <summary>Scripts: viewers read, users create and update, admins delete. Built-ins cannot be deleted.</summary>
internal static class ScriptsApi
{
    public static RouteGroupBuilder MapScriptsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/automation/scripts").WithTags("Scripts").RequireFeature(Capability.Scripts);
        group.MapGet("/", ListAsync).RequireRole(Role.Viewer);
        group.MapGet("/{id}", GetAsync).RequireRole(Role.Viewer);
        group.MapGet("/{id}/versions", ListVersionsAsync).RequireRole(Role.Viewer);
        group.MapGet("/{id}/versions/{version}", GetVersionAsync).RequireRole(Role.Viewer);
        group.MapPost("/", CreateAsync).RequireRole(Role.User);
        group.MapPut("/{id}", UpdateAsync).RequireRole(Role.User);
        group.MapDelete("/{id}", DeleteAsync).RequireRole(Role.Admin);
        return group;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, ScriptService scripts, CancellationToken cancellationToken)
    {
        var paging = Paging.From(request);
        var page = await scripts.ListAsync(CatalogQuery.Filter(request, withLanguage: true), paging.Skip, paging.PageSize, cancellationToken);
        return Envelope.Ok(new { total = page.Total, page = paging.Page, page_size = paging.PageSize, scripts = page.Items });
    }

    private static async Task<IResult> GetAsync(string id, ScriptService scripts, CancellationToken cancellationToken) =>
        Envelope.Ok(await scripts.GetAsync(RouteIds.Parse(id), cancellationToken));

    private static async Task<IResult> ListVersionsAsync(string id, HttpRequest request, ScriptService scripts, CancellationToken cancellationToken)
    {
        var scriptId = RouteIds.Parse(id);
        var paging = Paging.From(request);
        var page = await scripts.ListVersionsAsync(scriptId, paging.Skip, paging.PageSize, cancellationToken);
        return Envelope.Ok(new { total = page.Total, page = paging.Page, page_size = paging.PageSize, versions = page.Items });
    }

    private static async Task<IResult> GetVersionAsync(string id, string version, ScriptService scripts, CancellationToken cancellationToken) =>
        Envelope.Ok(await scripts.GetVersionAsync(RouteIds.Parse(id), CatalogQuery.Version(version), cancellationToken));

    private static async Task<IResult> CreateAsync(CreateScriptRequest request, HttpContext http, ScriptService scripts)
    {
        var input = new ScriptInput(request.Name, request.Description, request.Content, request.Language, request.Category, request.Tags, Parameters(request.Parameters), request.IsActive);
        return Envelope.Created(await scripts.CreateAsync(input, http.GetActor(), http.RequestAborted));
    }

    private static async Task<IResult> UpdateAsync(string id, UpdateScriptRequest request, HttpContext http, ScriptService scripts)
    {
        var scriptId = RouteIds.Parse(id);
        var input = new ScriptInput(request.Name, request.Description, request.Content, request.Language, request.Category, request.Tags, Parameters(request.Parameters), request.IsActive);
        return Envelope.Ok(await scripts.UpdateAsync(scriptId, input, http.GetActor(), http.RequestAborted), "更新成功");
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, ScriptService scripts)
    {
        await scripts.DeleteAsync(RouteIds.Parse(id), http.GetActor(), http.RequestAborted);
        return Envelope.Ok("删除成功");
    }

    private static List<ScriptParameter>? Parameters(IReadOnlyList<ScriptParameterRequest>? parameters) =>
        parameters?.Select(p => new ScriptParameter(p.Name, p.Description, p.Default, p.Required)).ToList();

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record ScriptParameterRequest(string Name, string? Description = null, string? Default = null, bool Required = false);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record CreateScriptRequest(
        string Name,
        string Content,
        string Language,
        string? Description = null,
        string? Category = null,
        IReadOnlyList<string>? Tags = null,
        IReadOnlyList<ScriptParameterRequest>? Parameters = null,
        bool? IsActive = null);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record UpdateScriptRequest(
        string? Name = null,
        string? Content = null,
        string? Language = null,
        string? Description = null,
        string? Category = null,
        IReadOnlyList<string>? Tags = null,
        IReadOnlyList<ScriptParameterRequest>? Parameters = null,
        bool? IsActive = null);
}
