namespace NodeOps.Catalog;

/// <summary>A script as listings show it: without its content, which may be up to 1 MiB.</summary>
public sealed record ScriptSummary(
    long Id,
    string Name,
    string? Description,
    string Language,
    string Category,
    bool IsBuiltin,
    bool IsActive,
    int Version,
    IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
