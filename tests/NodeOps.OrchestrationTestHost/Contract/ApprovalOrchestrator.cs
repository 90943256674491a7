using Microsoft.DurableTask;

namespace NodeOps.OrchestrationTestHost.Contract;

/// <summary>Says it is waiting, then waits for the named external event and returns what it carried.</summary>
public sealed class ApprovalOrchestrator : TaskOrchestrator<string, string>
{
    public const string Waiting = "waiting";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SetCustomStatus(Waiting);
        var answer = await context.WaitForExternalEvent<string>(input);
        return "approved:" + answer;
    }
}
