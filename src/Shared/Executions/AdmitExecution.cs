using Microsoft.DurableTask;

namespace NodeOps.Executions;

/// <summary>Asks the execution's kind whether it may start; a wait keeps it pending.</summary>
public sealed class AdmitExecution(ExecutionActivities runner) : TaskActivity<string, TimeSpan?>
{
    public override Task<TimeSpan?> RunAsync(TaskActivityContext context, string input) => runner.AdmitAsync(input);
}
