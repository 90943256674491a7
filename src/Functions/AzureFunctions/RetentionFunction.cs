using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using NodeOps.Scheduling;

namespace NodeOps.Functions.AzureFunctions;

/// <summary>
/// Retention under the Functions host: the sweep the standalone host runs in a loop (RetentionHostedService), once
/// an hour on a timer. Executions are purged together with their orchestration instances, hence the Durable client.
/// </summary>
public sealed class RetentionFunction(NodeOpsPipeline pipeline)
{
    public const string Name = "RetentionSweep";

    /// <summary>Minute 17 of every hour: off the hour, when schedules cluster.</summary>
    public const string Schedule = "0 17 * * * *";

    [Function(Name)]
    public Task<int> RunAsync([TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient durableClient, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        pipeline.UseDurableClient(durableClient);
        return pipeline.Services.GetRequiredService<RetentionSweep>().SweepOnceAsync(context.CancellationToken);
    }
}
