using NodeOps.Workflows;

namespace NodeOps.Catalog;

/// <summary>A workflow with its definition, as the detail route shows it.</summary>
public sealed record Workflow(
    long Id,
    string Name,
    string? Description,
    string Category,
    bool IsBuiltin,
    bool IsActive,
    int Version,
    IReadOnlyList<string> Tags,
    int StepCount,
    WorkflowDefinition Definition,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string CreatedBy,
    string UpdatedBy);
