namespace NodeOps.Orchestration;

/// <summary>
/// How the HTTP surface talks to orchestrations: start, read, query, raise an event, terminate, purge. Backed by
/// DurableTask.Core's TaskHubClient in the standalone host; the Functions app backs it with DurableTaskClient.
/// </summary>
public interface IOrchestrationClient
{
    /// <summary>Starts <paramref name="orchestratorName"/>; an instance id that is already pending or running is refused.</summary>
    Task<string> StartAsync(string orchestratorName, object? input, string? instanceId, CancellationToken cancellationToken);

    Task<OrchestrationInstanceState?> GetAsync(string instanceId, CancellationToken cancellationToken);

    Task<OrchestrationInstancePage> QueryAsync(OrchestrationInstanceFilter filter, CancellationToken cancellationToken);

    Task RaiseEventAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken);

    Task TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken);

    /// <summary>Deletes a finished instance and its history; false when there was nothing finished to delete.</summary>
    Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>The instance once it has finished (completed, failed or terminated), or null if it did not within <paramref name="timeout"/>.</summary>
    Task<OrchestrationInstanceState?> WaitForCompletionAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken);
}
