using DurableTask.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.Logging;

namespace NodeOps.Orchestration;

/// <summary>
/// <see cref="IOrchestrationClient"/> on a DurableTask.Core backend. Payloads go through the Microsoft.DurableTask JSON
/// converter, the one the orchestrators and activities read them with.
/// </summary>
public sealed class TaskHubOrchestrationClient : IOrchestrationClient
{
    private static readonly TimeSpan WaitPollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly OrchestrationStatus[] ActiveStatuses = [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.Suspended];

    private readonly OrchestrationBackend _backend;
    private readonly TaskHubClient _client;
    private readonly TimeProvider _time;

    public TaskHubOrchestrationClient(OrchestrationBackend backend, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _client = new TaskHubClient(backend.Client, new PayloadConverter(JsonDataConverter.Default), loggerFactory);
    }

    public async Task<string> StartAsync(string orchestratorName, object? input, string? instanceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(orchestratorName);
        var instance = await _client.CreateOrchestrationInstanceAsync(
            orchestratorName, string.Empty, instanceId ?? Guid.NewGuid().ToString("N"), input, null, ActiveStatuses).ConfigureAwait(false);
        return instance.InstanceId;
    }

    public async Task<OrchestrationInstanceState?> GetAsync(string instanceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var state = await _client.GetOrchestrationStateAsync(instanceId).ConfigureAwait(false);
        return state is null ? null : Map(state);
    }

    public async Task<OrchestrationInstancePage> QueryAsync(OrchestrationInstanceFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = new DurableTask.Core.Query.OrchestrationQuery
        {
            RuntimeStatus = filter.Statuses?.Select(s => Enum.Parse<OrchestrationStatus>(s.ToString())).ToList(),
            CreatedTimeFrom = filter.CreatedFrom?.UtcDateTime,
            CreatedTimeTo = filter.CreatedTo?.UtcDateTime,
            InstanceIdPrefix = filter.InstanceIdPrefix,
            PageSize = filter.PageSize,
            ContinuationToken = filter.ContinuationToken,
            FetchInputsAndOutputs = true,
        };
        var result = await _backend.Queries.GetOrchestrationWithQueryAsync(query, cancellationToken).ConfigureAwait(false);
        return new OrchestrationInstancePage(result.OrchestrationState.Select(Map).ToList(), result.ContinuationToken);
    }

    public Task RaiseEventAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return _client.RaiseEventAsync(new OrchestrationInstance { InstanceId = instanceId }, eventName, payload!);
    }

    public Task TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return _client.TerminateInstanceAsync(new OrchestrationInstance { InstanceId = instanceId }, reason);
    }

    public async Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        // DurableTask.AzureStorage would purge a running instance too; the contract is that only finished ones go.
        if (await GetAsync(instanceId, cancellationToken).ConfigureAwait(false) is not { IsFinished: true })
        {
            return false;
        }

        var result = await _backend.Purge.PurgeInstanceStateAsync(instanceId).ConfigureAwait(false);
        return result.DeletedInstanceCount > 0;
    }

    public async Task<OrchestrationInstanceState?> WaitForCompletionAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            if (await GetAsync(instanceId, cancellationToken).ConfigureAwait(false) is { IsFinished: true } finished)
            {
                return finished;
            }

            if (_time.GetElapsedTime(started) >= timeout)
            {
                return null;
            }

            await Task.Delay(WaitPollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static OrchestrationInstanceState Map(OrchestrationState state) => new(
        state.OrchestrationInstance.InstanceId,
        state.Name,
        Enum.Parse<OrchestrationRuntimeStatus>(state.OrchestrationStatus.ToString()),
        new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
        new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
        state.Input,
        state.Output,
        state.Status,
        state.FailureDetails?.ErrorMessage);
}
