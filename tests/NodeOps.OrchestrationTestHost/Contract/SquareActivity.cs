using Microsoft.DurableTask;

namespace NodeOps.OrchestrationTestHost.Contract;

public sealed class SquareActivity : TaskActivity<SquareInput, SquareResult>
{
    public override async Task<SquareResult> RunAsync(TaskActivityContext context, SquareInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.DelayMs > 0)
        {
            await Task.Delay(input.DelayMs);
        }

        return new SquareResult((long)input.Value * input.Value, Environment.ProcessId);
    }
}
