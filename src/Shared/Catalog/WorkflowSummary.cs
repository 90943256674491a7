namespace NodeOps.Catalog;

/// <summary>A workflow as listings show it: with its step count instead of its definition.</summary>
public sealed record WorkflowSummary(
    long Id,
    string Name,
    string? Description,
    string Category,
    bool IsBuiltin,
    bool IsActive,
    int Version,
    IReadOnlyList<string> Tags,
    int StepCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
