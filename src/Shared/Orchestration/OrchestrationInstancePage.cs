namespace NodeOps.Orchestration;

/// <summary>One page of a query; a null token means there are no more.</summary>
public sealed record OrchestrationInstancePage(IReadOnlyList<OrchestrationInstanceState> Instances, string? ContinuationToken);
