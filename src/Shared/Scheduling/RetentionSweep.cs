using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Executions;

namespace NodeOps.Scheduling;

/// <summary>Deletes executions (with their node results and output) that finished more than the retention period ago.</summary>
public sealed partial class RetentionSweep(ExecutionStore store, TimeProvider time, IOptions<ExecutionsOptions> options, ILogger<RetentionSweep> logger)
{
    /// <summary>One pass; returns how many executions were removed.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays);
        var expired = await store.ListEndedBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        foreach (var execution in expired)
        {
            await store.DeleteAsync(execution, cancellationToken).ConfigureAwait(false);
        }

        if (expired.Count > 0)
        {
            LogSwept(logger, expired.Count, cutoff);
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

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Retention removed {Count} executions that ended before {Cutoff}")]
    private static partial void LogSwept(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "Retention sweep failed: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
