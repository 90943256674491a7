using NodeOps.Auth;
using NodeOps.Catalog;
using NodeOps.Functions.Http;
using NodeOps.Functions.OpenApi;
using NodeOps.Functions.Security;

namespace NodeOps.Functions.Apis;

/// <summary>
/// The one route shape of the catalog's kinds: viewers list and read (versions too), users create and update, admins
/// delete. Built-ins cannot be deleted (the service says so). Each kind maps its own request records to its input.
/// </summary>
internal static class CatalogItemsApi
{
    public static RouteGroupBuilder MapCatalogItems<TService, TItem, TSummary, TVersion, TInput, TCreate, TUpdate>(
        this IEndpointRouteBuilder routes, CatalogItemsRoute route, Func<TCreate, TInput> createInput, Func<TUpdate, TInput> updateInput)
        where TService : class, ICatalogItemService<TItem, TSummary, TVersion, TInput>
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(createInput);
        ArgumentNullException.ThrowIfNull(updateInput);
        // The handlers go in as Delegate locals: ASP.NET Core 10's RouteHandlerAnalyzer throws on a lambda passed straight to
        // Map* whose parameters are typed by generic parameters (AD0001, dotnet/aspnetcore#56831), failing the strict build.
        Delegate list = async (HttpRequest request, TService items, CancellationToken cancellationToken) =>
        {
            var paging = Paging.From(request);
            var page = await items.ListAsync(CatalogQuery.Filter(request, route.FiltersByLanguage), paging.Skip, paging.PageSize, cancellationToken);
            return Envelope.Ok(PageBody(paging, page, route.ListProperty));
        };
        Delegate get = async (string id, TService items, CancellationToken cancellationToken) =>
            Envelope.Ok(await items.GetAsync(RouteIds.Parse(id), cancellationToken));
        Delegate listVersions = async (string id, HttpRequest request, TService items, CancellationToken cancellationToken) =>
        {
            var itemId = RouteIds.Parse(id);
            var paging = Paging.From(request);
            var page = await items.ListVersionsAsync(itemId, paging.Skip, paging.PageSize, cancellationToken);
            return Envelope.Ok(PageBody(paging, page, "versions"));
        };
        Delegate getVersion = async (string id, string version, TService items, CancellationToken cancellationToken) =>
            Envelope.Ok(await items.GetVersionAsync(RouteIds.Parse(id), CatalogQuery.Version(version), cancellationToken));
        Delegate create = async (TCreate request, HttpContext http, TService items) =>
            Envelope.Created(await items.CreateAsync(createInput(request), http.GetActor(), http.RequestAborted));
        Delegate update = async (string id, TUpdate request, HttpContext http, TService items) =>
        {
            var itemId = RouteIds.Parse(id);
            return Envelope.Ok(await items.UpdateAsync(itemId, updateInput(request), http.GetActor(), http.RequestAborted), "更新成功");
        };
        Delegate delete = async (string id, HttpContext http, TService items) =>
        {
            await items.DeleteAsync(RouteIds.Parse(id), http.GetActor(), http.RequestAborted);
            return Envelope.Ok("删除成功");
        };

        var group = routes.MapGroup(route.Prefix).WithTags(route.Tag).RequireFeature(route.Capability);
        group.MapGet("/", list).RequireRole(Role.Viewer).ProducesPage<TSummary>(route.ListProperty);
        group.MapGet("/{id}", get).RequireRole(Role.Viewer).ProducesData<TItem>();
        group.MapGet("/{id}/versions", listVersions).RequireRole(Role.Viewer).ProducesPage<TVersion>("versions");
        group.MapGet("/{id}/versions/{version}", getVersion).RequireRole(Role.Viewer).ProducesData<TVersion>();
        group.MapPost("/", create).RequireRole(Role.User).CreatesData<TItem>();
        group.MapPut("/{id}", update).RequireRole(Role.User).ProducesData<TItem>();
        group.MapDelete("/{id}", delete).RequireRole(Role.Admin);
        return group;
    }

    /// <summary>{total, page, page_size, &lt;items&gt;}: the list's property is named per kind, so a dictionary (its keys are written as given).</summary>
    private static Dictionary<string, object?> PageBody<T>(Paging paging, CatalogPage<T> page, string itemsProperty) => new()
    {
        ["total"] = page.Total,
        ["page"] = paging.Page,
        ["page_size"] = paging.PageSize,
        [itemsProperty] = page.Items,
    };
}
