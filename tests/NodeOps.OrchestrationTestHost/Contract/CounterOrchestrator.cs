using Microsoft.DurableTask;

namespace NodeOps.OrchestrationTestHost.Contract;

/// <summary>Counts up to Target by continuing as new once per step, calling one activity per execution.</summary>
public sealed class CounterOrchestrator : TaskOrchestrator<CounterInput, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, CounterInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Current >= input.Target)
        {
            return input.Current;
        }

        await context.CallActivityAsync<SquareResult>(nameof(SquareActivity), new SquareInput(input.Current, 0));
        context.ContinueAsNew(new CounterInput(input.Current + 1, input.Target));
        return input.Current;
    }
}
