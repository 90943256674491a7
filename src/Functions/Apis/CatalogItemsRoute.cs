using NodeOps.Features;

namespace NodeOps.Functions.Apis;

/// <summary>
/// Where one catalog kind lives on the wire: its route prefix, OpenAPI tag, the capability that gates it, the
/// property its list is returned under, and whether its list can be filtered by language (only scripts have one).
/// </summary>
internal sealed record CatalogItemsRoute(string Prefix, string Tag, Capability Capability, string ListProperty, bool FiltersByLanguage = false);
