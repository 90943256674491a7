using Microsoft.DurableTask;

namespace NodeOps.OrchestrationTestHost.Contract;

/// <summary>Squares 0..Count-1 all at once and adds them up.</summary>
public sealed class FanOutOrchestrator : TaskOrchestrator<WorkInput, WorkResult>
{
    public override async Task<WorkResult> RunAsync(TaskOrchestrationContext context, WorkInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var results = await Task.WhenAll(Enumerable.Range(0, input.Count)
            .Select(i => context.CallActivityAsync<SquareResult>(nameof(SquareActivity), new SquareInput(i, input.DelayMs))));
        return new WorkResult(results.Sum(r => r.Square), [.. results.Select(r => r.ProcessId).Distinct().Order()]);
    }
}
