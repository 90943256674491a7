using Microsoft.DurableTask;

namespace NodeOps.OrchestrationTestHost.Contract;

/// <summary>Sleeps on a durable timer and returns how far orchestration time moved across it, in seconds.</summary>
public sealed class TimerOrchestrator : TaskOrchestrator<int, double>
{
    public override async Task<double> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var before = context.CurrentUtcDateTime;
        await context.CreateTimer(before.AddSeconds(input), CancellationToken.None);
        return (context.CurrentUtcDateTime - before).TotalSeconds;
    }
}
