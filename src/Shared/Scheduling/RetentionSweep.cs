using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Executions;
using NodeOps.Orchestration;

namespace NodeOps.Scheduling;

/// <summary>
/// Deletes executions (with their node results and output, their orchestration instance and history, and what other
/// capabilities keep for them) that finished more than the retention period ago, and the participants' own rows
/// recorded before then.
/// </summary>
public sealed partial class RetentionSweep(
    ExecutionStore store,
    IOrchestrationClient orchestrations,
    IEnumerable<IRetentionParticipant> participants,
    TimeProvider time,
    IOptions<ExecutionsOptions> options,
    ILogger<RetentionSweep> logger)
{
    /// <summary>One pass; returns how many executions were removed.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays);
        var expired = await store.ListEndedBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        foreach (var execution in expired)
        {
            // The instance first: rows without an instance are swept again next time, an instance without rows never would be.
            await orchestrations.PurgeAsync(execution.TaskId, cancellationToken).ConfigureAwait(false);
            foreach (var participant in participants)
            {
                await participant.DeleteExecutionRowsAsync(execution.TaskId, cancellationToken).ConfigureAwait(false);
            }

            await store.DeleteAsync(execution, cancellationToken).ConfigureAwait(false);
        }

        var rows = 0;
        foreach (var participant in participants)
        {
            rows += await participant.DeleteBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        }

        if (expired.Count > 0 || rows > 0)
        {
            LogSwept(logger, expired.Count, rows, cutoff);
        }

        return expired.Count;
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepOnceAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(options.Value.RetentionSweepInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Storage.TableStoreException or IOException or HttpRequestException)
            {
                LogSweepFailed(logger, ex.Message);
                await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Retention removed {Count} executions that ended before {Cutoff}, and {Rows} other rows recorded before it")]
    private static partial void LogSwept(ILogger logger, int count, int rows, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "Retention sweep failed: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
