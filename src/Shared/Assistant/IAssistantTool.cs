namespace NodeOps.Assistant;

/// <summary>Where a tool runs: the cluster and namespace from the request's context (null means the defaults).</summary>
public sealed record ToolContext(string? Cluster, string? Namespace);

/// <summary>
/// A tool call understood before it runs: the exact argv, the command as shown to people, whether it reads or
/// writes, and why it is refused (null when it may run).
/// </summary>
public sealed record PlannedToolCall(string Tool, IReadOnlyList<string> Argv, string Command, CommandSafety Safety, string? Refusal);

/// <summary>A function the agent offers the model.</summary>
public interface IAssistantTool
{
    string Name { get; }

    LlmToolDefinition Definition { get; }

    /// <summary>Parses the model's arguments and classifies the call; never runs anything.</summary>
    PlannedToolCall Plan(string argumentsJson, ToolContext context);

    /// <summary>Runs a planned call that was not refused. Throws <see cref="ToolUnavailableException"/> when the tool cannot run here.</summary>
    Task<ToolRunResult> ExecuteAsync(PlannedToolCall call, ToolContext context, CancellationToken cancellationToken = default);
}
