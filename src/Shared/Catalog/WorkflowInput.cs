using NodeOps.Workflows;

namespace NodeOps.Catalog;

/// <summary>A create or update request; on update, null fields keep their value.</summary>
public sealed record WorkflowInput(string? Name, string? Description, string? Category, IReadOnlyList<string>? Tags, WorkflowDefinition? Definition, bool? IsActive);
