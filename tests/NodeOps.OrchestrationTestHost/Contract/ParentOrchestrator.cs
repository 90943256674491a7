using Microsoft.DurableTask;

namespace NodeOps.OrchestrationTestHost.Contract;

/// <summary>Runs <c>input</c> chains of five as sub-orchestrations in parallel and adds up their sums.</summary>
public sealed class ParentOrchestrator : TaskOrchestrator<int, long>
{
    public override async Task<long> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var children = await Task.WhenAll(Enumerable.Range(0, input)
            .Select(_ => context.CallSubOrchestratorAsync<WorkResult>(nameof(ChainOrchestrator), new WorkInput(5, 0))));
        return children.Sum(c => c.Sum);
    }
}
