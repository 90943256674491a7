using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Storage;

namespace NodeOps.Schedules;

/// <summary>
/// The standalone host's scheduler: evaluates schedules at every Schedules:EvaluationInterval boundary (each whole
/// minute by default), and also at the next due time when that comes sooner, so a cron with seconds fires on time.
/// </summary>
internal sealed partial class InProcessScheduler(ScheduleEvaluator evaluator, TimeProvider time, IOptions<SchedulesOptions> options, ILogger<InProcessScheduler> logger)
{
    /// <summary>Due times are inclusive, so waking this much after one guards against a timer that fires a hair early.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(20);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.EvaluationInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? next = null;
            try
            {
                next = await evaluator.EvaluateAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is TableStoreException or IOException or HttpRequestException)
            {
                LogEvaluationFailed(logger, ex.Message);
            }

            var now = time.GetUtcNow();
            var tick = new DateTimeOffset(now.UtcTicks - now.UtcTicks % interval.Ticks, TimeSpan.Zero) + interval;
            var wake = next is { } due && due < tick ? due : tick;
            try
            {
                await Task.Delay((wake > now ? wake - now : TimeSpan.Zero) + Margin, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Evaluating schedules failed: {Reason}")]
    private static partial void LogEvaluationFailed(ILogger logger, string reason);
}
