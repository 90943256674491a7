using Microsoft.DurableTask.Client;

namespace NodeOps.Orchestration;

/// <summary>Which instances a query returns, one page at a time.</summary>
public sealed record OrchestrationInstanceFilter(
    IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses = null,
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    string? InstanceIdPrefix = null,
    int PageSize = 100,
    string? ContinuationToken = null);
