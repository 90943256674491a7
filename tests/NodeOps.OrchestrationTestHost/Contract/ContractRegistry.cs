using NodeOps.Orchestration;

namespace NodeOps.OrchestrationTestHost.Contract;

public static class ContractRegistry
{
    /// <summary>Every orchestrator and activity of the contract suite.</summary>
    public static void Register(OrchestrationRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddOrchestrator<ChainOrchestrator>()
            .AddOrchestrator<FanOutOrchestrator>()
            .AddOrchestrator<TimerOrchestrator>()
            .AddOrchestrator<ApprovalOrchestrator>()
            .AddOrchestrator<ParentOrchestrator>()
            .AddOrchestrator<CounterOrchestrator>()
            .AddOrchestrator<EchoOrchestrator>()
            .AddActivity<SquareActivity>()
            .AddActivity<EchoActivity>();
    }
}
