namespace NodeOps.Assistant;

public enum AgentRole
{
    System,
    User,
    Assistant,
    Tool,
}

/// <summary>A function call the model asked for; arguments are the model's JSON text.</summary>
public sealed record AgentToolCall(string Id, string Name, string Arguments);

/// <summary>One message of a conversation, as stored in a session and sent to the model.</summary>
public sealed record AgentMessage(AgentRole Role, string Content, IReadOnlyList<AgentToolCall>? ToolCalls = null, string? ToolCallId = null)
{
    public static AgentMessage System(string content) => new(AgentRole.System, content);

    public static AgentMessage User(string content) => new(AgentRole.User, content);

    public static AgentMessage Assistant(string content, IReadOnlyList<AgentToolCall>? toolCalls = null) =>
        new(AgentRole.Assistant, content, toolCalls is { Count: > 0 } ? toolCalls : null);

    public static AgentMessage ToolResult(string toolCallId, string content) => new(AgentRole.Tool, content, null, toolCallId);
}
