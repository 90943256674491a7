using Microsoft.DurableTask;

namespace NodeOps.OrchestrationTestHost.Contract;

/// <summary>Squares 0..Count-1 one after another, reporting progress (steps done) as its custom status.</summary>
public sealed class ChainOrchestrator : TaskOrchestrator<WorkInput, WorkResult>
{
    public override async Task<WorkResult> RunAsync(TaskOrchestrationContext context, WorkInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        long sum = 0;
        var processes = new HashSet<int>();
        for (var i = 0; i < input.Count; i++)
        {
            var result = await context.CallActivityAsync<SquareResult>(nameof(SquareActivity), new SquareInput(i, input.DelayMs));
            sum += result.Square;
            processes.Add(result.ProcessId);
            context.SetCustomStatus(i + 1);
        }

        return new WorkResult(sum, [.. processes.Order()]);
    }
}
