namespace NodeOps.Catalog;

/// <summary>A playbook as the API shows it (listings and details alike carry the content, as the spec does).</summary>
public sealed record Playbook(
    long Id,
    string Name,
    string? Description,
    string Content,
    string Category,
    bool IsBuiltin,
    bool IsActive,
    int Version,
    IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string CreatedBy,
    string UpdatedBy);
