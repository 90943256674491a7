namespace NodeOps.Catalog;

/// <summary>The listing filters; null means "any". Values are validated by the caller (see <see cref="CatalogRules"/>).</summary>
public sealed record CatalogListFilter(string? Category = null, bool? IsBuiltin = null, string? Language = null);
