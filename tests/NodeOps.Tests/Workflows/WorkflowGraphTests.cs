using NodeOps.Workflows;

namespace NodeOps.Tests.Workflows;

public sealed class WorkflowGraphTests
{
    [Fact]
    public void FindCycles_NamesEachCycleOnce_AndSelfDependenciesToo()
    {
        WorkflowStep?[] steps =
        [
            Step("a", "b"),
            Step("b", "c"),
            Step("c", "a"),
            Step("d", "d"),
            Step("e", "a"),
        ];

        var cycles = WorkflowGraph.FindCycles(steps).Select(c => string.Join(" -> ", c)).ToList();

        Assert.Equal(["a -> b -> c -> a", "d -> d"], cycles);
    }

    [Fact]
    public void FindCycles_IgnoresUnknownDependenciesAndNullSteps()
    {
        WorkflowStep?[] steps = [Step("a", "ghost"), null, Step("b", "a")];

        Assert.Empty(WorkflowGraph.FindCycles(steps));
    }

    [Fact]
    public void TopologicalOrder_PutsEveryStepAfterItsDependencies_KeepingDefinitionOrderForTies()
    {
        WorkflowStep?[] steps = [Step("report", "disk", "cpu"), Step("disk"), Step("cpu"), Step("logs", "report")];

        Assert.Equal(["disk", "cpu", "report", "logs"], WorkflowGraph.TopologicalOrder(steps));
    }

    [Fact]
    public void TopologicalOrder_RefusesACycle()
    {
        Assert.Throws<InvalidOperationException>(() => WorkflowGraph.TopologicalOrder([Step("a", "b"), Step("b", "a")]));
    }

    private static WorkflowStep Step(string id, params string[] dependsOn) =>
        new(id, id, "wait", DependsOn: dependsOn.Length == 0 ? null : dependsOn, Seconds: 1);
}
