using Microsoft.DurableTask;

namespace NodeOps.Executions;

/// <summary>Brings an execution whose lanes are all done to its final status and counts.</summary>
public sealed class FinalizeExecution(ExecutionActivities runner) : TaskActivity<string, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, string input)
    {
        await runner.FinalizeAsync(input).ConfigureAwait(false);
        return true;
    }
}
