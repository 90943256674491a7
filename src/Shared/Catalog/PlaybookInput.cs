namespace NodeOps.Catalog;

/// <summary>A create or update request; on update, null fields keep their value.</summary>
public sealed record PlaybookInput(string? Name, string? Description, string? Content, string? Category, IReadOnlyList<string>? Tags, bool? IsActive);
