namespace NodeOps.Catalog;

/// <summary>The stored history row of one version: which content blob it was, and who made it.</summary>
internal sealed record CatalogVersionRecord(int Version, string ContentBlob, string ContentHash, long ContentLength, DateTimeOffset CreatedAt, string CreatedBy)
{
    public CatalogVersion ToView() => new(Version, ContentHash, ContentLength, CreatedAt, CreatedBy);

    public static CatalogVersionRecord Of(CatalogEntry entry) =>
        new(entry.Version, entry.ContentBlob, entry.ContentHash, entry.ContentLength, entry.ContentUpdatedAt, entry.ContentUpdatedBy);
}
