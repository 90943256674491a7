using NodeOps.Assistant;

namespace NodeOps.Tests.Assistant;

public sealed class ContextWindowTests
{
    private static readonly AgentMessage System = AgentMessage.System("system prompt");

    [Fact]
    public void Fit_EverythingFits_KeepsAllInOrder()
    {
        var history = Turn(1, 10).Concat(Turn(2, 10)).ToList();

        var fitted = ContextWindow.Fit(System, history, 10_000, 100);

        Assert.Equal([System, .. history], fitted);
    }

    [Fact]
    public void Fit_TooLong_DropsOldestWholeTurns_KeepsSystemAndLatest()
    {
        var history = Turn(1, 4000).Concat(Turn(2, 4000)).Concat(Turn(3, 4000)).ToList();

        var fitted = ContextWindow.Fit(System, history, contextTokens: 2000, reservedOutputTokens: 500);

        Assert.Equal(System, fitted[0]);
        Assert.Equal("question 3", fitted[1].Content);
        Assert.Equal(5, fitted.Count);
        Assert.Equal(AgentRole.Tool, fitted[^2].Role);
    }

    [Fact]
    public void Fit_LatestTurnAloneTooLong_IsStillKept()
    {
        var history = Turn(1, 10).Concat(Turn(2, 100_000)).ToList();

        var fitted = ContextWindow.Fit(System, history, 1000, 100);

        Assert.Equal("question 2", fitted[1].Content);
        Assert.DoesNotContain(fitted, m => m.Content == "question 1");
    }

    [Fact]
    public void Estimate_CountsCjkPerCharacterAndAsciiPerFour()
    {
        Assert.Equal(2, ContextWindow.Estimate("abcdefgh"));
        Assert.Equal(4, ContextWindow.Estimate("集群节点"));
    }

    private static IEnumerable<AgentMessage> Turn(int n, int toolOutputLength)
    {
        yield return AgentMessage.User($"question {n}");
        yield return AgentMessage.Assistant("", [new AgentToolCall($"c{n}", "kubectl", "{\"command\":\"kubectl get pods\"}")]);
        yield return AgentMessage.ToolResult($"c{n}", new string('x', toolOutputLength));
        yield return AgentMessage.Assistant($"answer {n}");
    }
}
