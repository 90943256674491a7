namespace NodeOps.Catalog;

/// <summary>A create or update request; on update, null fields keep their value.</summary>
public sealed record ScriptInput(
    string? Name,
    string? Description,
    string? Content,
    string? Language,
    string? Category,
    IReadOnlyList<string>? Tags,
    IReadOnlyList<ScriptParameter>? Parameters,
    bool? IsActive);
