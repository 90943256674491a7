using NodeOps.Workflows;

namespace NodeOps.Catalog;

/// <summary>One version of a workflow's definition.</summary>
public sealed record WorkflowVersion(long Id, string Name, int Version, WorkflowDefinition Definition, string ContentHash, DateTimeOffset CreatedAt, string CreatedBy);
