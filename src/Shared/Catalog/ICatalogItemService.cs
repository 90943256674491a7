using NodeOps.Auth;

namespace NodeOps.Catalog;

/// <summary>
/// What the catalog's three kinds (playbooks, scripts, workflows) offer the HTTP surface: the same listing, versions
/// and life cycle, each with its own item, list row, version and input types.
/// </summary>
internal interface ICatalogItemService<TItem, TSummary, TVersion, TInput>
{
    Task<CatalogPage<TSummary>> ListAsync(CatalogListFilter filter, int skip, int take, CancellationToken cancellationToken = default);

    Task<TItem> GetAsync(long id, CancellationToken cancellationToken = default);

    Task<CatalogPage<CatalogVersion>> ListVersionsAsync(long id, int skip, int take, CancellationToken cancellationToken = default);

    Task<TVersion> GetVersionAsync(long id, int version, CancellationToken cancellationToken = default);

    Task<TItem> CreateAsync(TInput input, Actor actor, CancellationToken cancellationToken = default);

    Task<TItem> UpdateAsync(long id, TInput input, Actor actor, CancellationToken cancellationToken = default);

    Task DeleteAsync(long id, Actor actor, CancellationToken cancellationToken = default);
}
