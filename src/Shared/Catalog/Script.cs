namespace NodeOps.Catalog;

/// <summary>A script with its content and parameters, as the detail route shows it.</summary>
public sealed record Script(
    long Id,
    string Name,
    string? Description,
    string Content,
    string Language,
    string Category,
    bool IsBuiltin,
    bool IsActive,
    int Version,
    IReadOnlyList<string> Tags,
    IReadOnlyList<ScriptParameter> Parameters,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string CreatedBy,
    string UpdatedBy);
