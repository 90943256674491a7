namespace NodeOps.Catalog;

/// <summary>One version of an item's content, as the versions listing shows it.</summary>
public sealed record CatalogVersion(int Version, string ContentHash, long ContentLength, DateTimeOffset CreatedAt, string CreatedBy);
