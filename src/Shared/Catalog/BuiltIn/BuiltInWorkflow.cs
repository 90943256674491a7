using NodeOps.Workflows;

namespace NodeOps.Catalog.BuiltIn;

/// <summary>
/// A workflow shipped with NodeOps. Its definition refers to other built-ins by key; <see cref="Resolve"/> turns the
/// keys into the ids they were seeded as in this deployment.
/// </summary>
internal sealed record BuiltInWorkflow(string Key, string Name, string Description, string Category, IReadOnlyList<string> Tags, Func<Func<string, long>, WorkflowDefinition> Resolve);
