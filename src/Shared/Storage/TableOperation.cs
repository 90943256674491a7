namespace NodeOps.Storage;

public enum TableOperationKind
{
    Insert,
    Replace,
    Merge,
    Upsert,
    Delete,
}

/// <summary>
/// One write in a batch. <see cref="ETag"/> makes Replace, Merge and Delete conditional;
/// null or "*" means unconditional.
/// </summary>
public sealed record TableOperation(TableOperationKind Kind, TableEntity Entity, string? ETag = null)
{
    public static TableOperation Insert(TableEntity entity) => new(TableOperationKind.Insert, entity);

    public static TableOperation Replace(TableEntity entity, string? etag = null) => new(TableOperationKind.Replace, entity, etag);

    public static TableOperation Merge(TableEntity entity, string? etag = null) => new(TableOperationKind.Merge, entity, etag);

    public static TableOperation Upsert(TableEntity entity) => new(TableOperationKind.Upsert, entity);

    public static TableOperation Delete(TableEntity entity, string? etag = null) => new(TableOperationKind.Delete, entity, etag);
}
