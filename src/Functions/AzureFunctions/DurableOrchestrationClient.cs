using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using NodeOps.Orchestration;

namespace NodeOps.Functions.AzureFunctions;

/// <summary>
/// <see cref="IOrchestrationClient"/> on the Durable Functions client, for the Functions host: the same abstraction
/// the standalone host backs with DurableTask.Core's TaskHubClient.
/// </summary>
internal sealed class DurableOrchestrationClient(DurableClientSlot slot) : IOrchestrationClient
{
    public async Task<string> StartAsync(string orchestratorName, object? input, string? instanceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(orchestratorName);
        // Durable Functions refuses an instance id that is pending or running, as the contract asks.
        return await slot.Client.ScheduleNewOrchestrationInstanceAsync(
            new TaskName(orchestratorName), input, new StartOrchestrationOptions(instanceId), cancellationToken).ConfigureAwait(false);
    }

    public async Task<OrchestrationInstanceState?> GetAsync(string instanceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var metadata = await slot.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        return metadata is null ? null : Map(metadata);
    }

    public async Task<OrchestrationInstancePage> QueryAsync(OrchestrationInstanceFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = new OrchestrationQuery
        {
            Statuses = filter.Statuses,
            CreatedFrom = filter.CreatedFrom,
            CreatedTo = filter.CreatedTo,
            InstanceIdPrefix = filter.InstanceIdPrefix,
            PageSize = filter.PageSize,
            ContinuationToken = filter.ContinuationToken,
            FetchInputsAndOutputs = true,
        };
        await foreach (var page in slot.Client.GetAllInstancesAsync(query).AsPages(filter.ContinuationToken, filter.PageSize).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            return new OrchestrationInstancePage(page.Values.Select(Map).ToList(), page.ContinuationToken);
        }

        return new OrchestrationInstancePage([], null);
    }

    public Task RaiseEventAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return slot.Client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);
    }

    public Task TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return slot.Client.TerminateInstanceAsync(instanceId, reason, cancellationToken);
    }

    public async Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        // Only finished instances go, as on the standalone backends.
        if (await GetAsync(instanceId, cancellationToken).ConfigureAwait(false) is not { IsFinished: true })
        {
            return false;
        }

        var result = await slot.Client.PurgeInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return result.PurgedInstanceCount > 0;
    }

    public async Task<OrchestrationInstanceState?> WaitForCompletionAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var metadata = await slot.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, deadline.Token).ConfigureAwait(false);
            return Map(metadata);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static OrchestrationInstanceState Map(OrchestrationMetadata metadata) => new(
        metadata.InstanceId,
        metadata.Name,
        metadata.RuntimeStatus,
        metadata.CreatedAt,
        metadata.LastUpdatedAt,
        metadata.SerializedInput,
        metadata.SerializedOutput,
        metadata.SerializedCustomStatus,
        metadata.FailureDetails?.ErrorMessage);
}
