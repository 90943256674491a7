using Microsoft.DurableTask;

namespace NodeOps.OrchestrationTestHost.Contract;

public sealed class EchoActivity : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult(input);
}
