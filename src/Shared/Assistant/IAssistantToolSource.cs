namespace NodeOps.Assistant;

/// <summary>
/// Tools that are not fixed at start-up (MCP servers come and go) or come from configuration (custom tools). The agent
/// asks at the start of each turn which tools are available, and tells the model what is not.
/// </summary>
public interface IAssistantToolSource
{
    IReadOnlyList<IAssistantTool> AvailableTools { get; }

    /// <summary>Lines for the system prompt about tools that exist but cannot be used now (a server that is down).</summary>
    IReadOnlyList<string> Notices { get; }
}
