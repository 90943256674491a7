namespace NodeOps.Catalog;

/// <summary>One page of a listing and the number of items on all pages.</summary>
public sealed record CatalogPage<T>(int Total, IReadOnlyList<T> Items);
