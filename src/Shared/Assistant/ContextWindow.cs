namespace NodeOps.Assistant;

/// <summary>
/// Fits a conversation into a model's context window: the system prompt always stays, then whole turns (a user
/// message and everything after it) are kept from the newest backwards while they fit. The latest turn is kept
/// even when it alone is too long, so the model always sees the question it must answer.
/// </summary>
public static class ContextWindow
{
    public static IReadOnlyList<AgentMessage> Fit(AgentMessage system, IReadOnlyList<AgentMessage> history, int contextTokens, int reservedOutputTokens)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(history);
        var budget = Math.Max(0, contextTokens - reservedOutputTokens - Estimate(system));
        var turns = new List<List<AgentMessage>>();
        foreach (var message in history)
        {
            if (message.Role == AgentRole.User || turns.Count == 0)
            {
                turns.Add([]);
            }

            turns[^1].Add(message);
        }

        var kept = new List<List<AgentMessage>>();
        var used = 0;
        for (var i = turns.Count - 1; i >= 0; i--)
        {
            var size = turns[i].Sum(Estimate);
            if (kept.Count > 0 && used + size > budget)
            {
                break;
            }

            kept.Insert(0, turns[i]);
            used += size;
        }

        var result = new List<AgentMessage>(kept.Sum(t => t.Count) + 1) { system };
        foreach (var turn in kept)
        {
            // A turn cut loose from its start may open with tool results whose call is gone; providers reject that.
            result.AddRange(result.Count == 1 ? turn.SkipWhile(m => m.Role == AgentRole.Tool) : turn);
        }

        return result;
    }

    /// <summary>
    /// A provider-neutral token estimate: about four characters per token for ASCII text, one per character for
    /// CJK and other scripts, plus a small overhead per message and per tool call.
    /// </summary>
    public static int Estimate(AgentMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var tokens = 4 + Estimate(message.Content);
        foreach (var call in message.ToolCalls ?? [])
        {
            tokens += 8 + Estimate(call.Name) + Estimate(call.Arguments);
        }

        return tokens;
    }

    public static int Estimate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ascii = 0;
        var other = 0;
        foreach (var c in text)
        {
            if (c < 128)
            {
                ascii++;
            }
            else
            {
                other++;
            }
        }

        return ((ascii + 3) / 4) + other;
    }
}
