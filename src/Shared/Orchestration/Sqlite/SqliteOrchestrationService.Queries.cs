using System.Globalization;
using DurableTask.Core;
using DurableTask.Core.Query;
using static NodeOps.Orchestration.Sqlite.SqliteOrchestrationSql;

namespace NodeOps.Orchestration.Sqlite;

/// <summary>Instance queries (filtered, paged) and purge of finished instances with everything they own.</summary>
public sealed partial class SqliteOrchestrationService
{
    private const int DefaultPageSize = 100;

    public Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = query.PageSize > 0 ? query.PageSize : DefaultPageSize;
        var offset = int.TryParse(query.ContinuationToken, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        var statuses = query.RuntimeStatus is { Count: > 0 } wanted ? SqliteEventCodec.Serialize(wanted.Select(s => s.ToString())) : null;
        var states = _store.Read(connection =>
        {
            var list = new List<OrchestrationState>();
            using var command = connection.Command(QueryInstances, null, ("@statuses", statuses),
                ("@from", query.CreatedTimeFrom is { } from ? from.ToUniversalTime().Ticks : null),
                ("@to", query.CreatedTimeTo is { } to ? to.ToUniversalTime().Ticks : null),
                ("@prefix", string.IsNullOrEmpty(query.InstanceIdPrefix) ? null : query.InstanceIdPrefix),
                ("@limit", pageSize + 1), ("@offset", offset));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var state = SqliteEventCodec.DeserializeState(reader.GetString(2));
                if (!query.FetchInputsAndOutputs)
                {
                    (state.Input, state.Output) = (null, null);
                }

                list.Add(state);
            }

            return list;
        });
        var more = states.Count > pageSize;
        var page = more ? states.Take(pageSize).ToList() : states;
        return Task.FromResult(new OrchestrationQueryResult(page, more ? (offset + pageSize).ToString(CultureInfo.InvariantCulture) : null));
    }

    public async Task<PurgeResult> PurgeInstanceStateAsync(string instanceId)
    {
        var purged = await _store.WriteAsync((connection, transaction) =>
        {
            var status = connection.Scalar(InstanceStatus, transaction, ("@id", instanceId)) as string;
            if (status is null || !IsFinished(Enum.Parse<OrchestrationStatus>(status)))
            {
                return 0;
            }

            connection.Run(PurgeInstance, transaction, ("@id", instanceId));
            return 1;
        }, CancellationToken.None).ConfigureAwait(false);
        _histories.TryRemove(instanceId, out _);
        return new PurgeResult(purged);
    }

    /// <summary>Purges finished instances created in the window; a filter naming running statuses never purges running work.</summary>
    public Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter)
    {
        ArgumentNullException.ThrowIfNull(purgeInstanceFilter);
        var statuses = (purgeInstanceFilter.RuntimeStatus?.Any() == true ? purgeInstanceFilter.RuntimeStatus : SqliteMessageWriter.FinishedStatuses)
            .Where(IsFinished).Select(s => s.ToString()).ToList();
        return PurgeWhereAsync(FinishedInstancesCreatedBetween, ("@statuses", SqliteEventCodec.Serialize(statuses)),
            ("@from", purgeInstanceFilter.CreatedTimeFrom.ToUniversalTime().Ticks),
            ("@to", purgeInstanceFilter.CreatedTimeTo is { } to ? to.ToUniversalTime().Ticks : null));
    }

    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType) =>
        PurgeWhereAsync(FinishedInstancesBefore, ("@threshold", thresholdDateTimeUtc.ToUniversalTime().Ticks), ("@filter", timeRangeFilterType switch
        {
            OrchestrationStateTimeRangeFilterType.OrchestrationCreatedTimeFilter => 0,
            OrchestrationStateTimeRangeFilterType.OrchestrationCompletedTimeFilter => 1,
            _ => 2,
        }));

    private async Task<PurgeResult> PurgeWhereAsync(string selectSql, params (string, object?)[] parameters)
    {
        var ids = await _store.WriteAsync((connection, transaction) =>
        {
            var found = new List<string>();
            using (var command = connection.Command(selectSql, transaction, parameters))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    found.Add(reader.GetString(0));
                }
            }

            foreach (var id in found)
            {
                connection.Run(PurgeInstance, transaction, ("@id", id));
            }

            return found;
        }, CancellationToken.None).ConfigureAwait(false);
        foreach (var id in ids)
        {
            _histories.TryRemove(id, out _);
        }

        return new PurgeResult(ids.Count);
    }
}
