using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Executions;
using NodeOps.Storage;

namespace NodeOps.Scheduling;

/// <summary>
/// Each instance's dispatcher: leases work items from the shared queue and runs up to
/// <see cref="ExecutionsOptions.MaxConcurrentWorkItems"/> at once. Any number of instances may dispatch from one
/// store. On shutdown it stops leasing, lets running items drain, and gives back what they did not finish.
/// Items that failed on every delivery are taken from the dead-letter queue and abandoned, so their execution
/// still finishes.
/// </summary>
public sealed partial class ExecutionDispatcher(
    IWorkQueue queue,
    WorkItemRunner runner,
    DispatchSignal signal,
    TimeProvider time,
    IOptions<ExecutionsOptions> options,
    ILogger<ExecutionDispatcher> logger)
{
    private static readonly TimeSpan DeadLetterCheckEvery = TimeSpan.FromSeconds(30);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var running = new List<Task>();
        var lastDeadLetterCheck = long.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            try
            {
                while (running.Count < settings.MaxConcurrentWorkItems && !stoppingToken.IsCancellationRequested)
                {
                    var message = await queue.LeaseAsync(settings.Queue, settings.LeaseDuration, stoppingToken).ConfigureAwait(false);
                    if (message is null)
                    {
                        break;
                    }

                    running.Add(Task.Run(() => runner.ProcessAsync(message, stoppingToken), CancellationToken.None));
                }

                if (lastDeadLetterCheck == long.MinValue || time.GetElapsedTime(lastDeadLetterCheck) > DeadLetterCheckEvery)
                {
                    lastDeadLetterCheck = time.GetTimestamp();
                    await AbandonDeadLettersAsync(settings, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is TableStoreException or IOException or HttpRequestException or InvalidOperationException)
            {
                LogLeaseFailed(logger, ex.Message);
            }

            var wake = signal.WaitAsync(settings.PollInterval, time, stoppingToken);
            try
            {
                // When every slot is busy, a finished item is also a reason to look at the queue again.
                await (running.Count >= settings.MaxConcurrentWorkItems ? Task.WhenAny(wake, Task.WhenAny(running)).Unwrap() : wake).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        // Running items see the same token: they stop claiming, drain, and release what is left.
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task AbandonDeadLettersAsync(ExecutionsOptions settings, CancellationToken cancellationToken)
    {
        var deadLetters = WorkQueueOptions.DeadLetterQueue(settings.Queue);
        for (var i = 0; i < 100; i++)
        {
            var message = await queue.LeaseAsync(deadLetters, settings.LeaseDuration, cancellationToken).ConfigureAwait(false);
            if (message is null)
            {
                return;
            }

            LogAbandoned(logger, message.Id);
            await runner.AbandonAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Leasing work items failed: {Reason}")]
    private static partial void LogLeaseFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Error, Message = "Abandoning dead-lettered work item {MessageId}")]
    private static partial void LogAbandoned(ILogger logger, string messageId);
}
