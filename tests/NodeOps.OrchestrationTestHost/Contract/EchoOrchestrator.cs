using Microsoft.DurableTask;

namespace NodeOps.OrchestrationTestHost.Contract;

/// <summary>Sends its input through an activity and back, so a large payload crosses every queue and the history.</summary>
public sealed class EchoOrchestrator : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CallActivityAsync<string>(nameof(EchoActivity), input);
    }
}
