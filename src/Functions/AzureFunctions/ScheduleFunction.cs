using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using NodeOps.Schedules;

namespace NodeOps.Functions.AzureFunctions;

/// <summary>
/// Schedules under the Functions host: the evaluator the standalone host's in-process scheduler calls, once a minute
/// on a timer. Fires start orchestrations, hence the Durable client. Each due time is claimed once in the table
/// store, so overlapping ticks or instances cannot fire it twice.
/// </summary>
public sealed class ScheduleFunction(NodeOpsPipeline pipeline)
{
    public const string Name = "ScheduleTick";

    /// <summary>Second 0 of every minute: the granularity of a 5-field cron.</summary>
    public const string Schedule = "0 * * * * *";

    [Function(Name)]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient durableClient, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        pipeline.UseDurableClient(durableClient);
        await pipeline.Services.GetRequiredService<ScheduleEvaluator>().EvaluateAsync(context.CancellationToken);
    }
}
