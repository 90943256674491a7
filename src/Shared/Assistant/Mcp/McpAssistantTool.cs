using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace NodeOps.Assistant.Mcp;

/// <summary>
/// One tool of an MCP server, offered to the model as "server.tool". It is a write unless the tool says
/// <c>readOnlyHint: true</c> and the server is trusted for that hint; its result is capped like other tool output.
/// </summary>
internal sealed class McpAssistantTool(McpServerConnection server, Tool tool, bool trustReadOnlyHints, int outputLimitBytes, TimeProvider time) : IAssistantTool
{
    public string Name { get; } = server.Name + "." + tool.Name;

    public CommandSafety Safety { get; } = trustReadOnlyHints && tool.Annotations?.ReadOnlyHint == true ? CommandSafety.Read : CommandSafety.Write;

    public LlmToolDefinition Definition { get; } = new(
        server.Name + "." + tool.Name,
        $"[MCP server {server.Name}] {tool.Description ?? tool.Title ?? tool.Name}",
        tool.InputSchema.ValueKind == JsonValueKind.Object ? tool.InputSchema.GetRawText() : """{"type":"object"}""");

    public PlannedToolCall Plan(string argumentsJson, ToolContext context)
    {
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(argumentsJson) ? "{}" : argumentsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new PlannedToolCall(Name, [], Name, CommandSafety.Write, "参数必须是 JSON 对象");
            }

            // The exact arguments are what is shown for approval and what runs after it.
            var arguments = JsonSerializer.Serialize(document.RootElement);
            return new PlannedToolCall(Name, [arguments], $"{Name} {arguments}", Safety, null);
        }
        catch (JsonException)
        {
            return new PlannedToolCall(Name, [], Name, CommandSafety.Write, "参数不是有效的 JSON");
        }
    }

    public async Task<ToolRunResult> ExecuteAsync(PlannedToolCall call, ToolContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(call.Argv[0])!
            .ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal);
        var started = time.GetTimestamp();
        var result = await server.CallAsync(tool.Name, arguments, cancellationToken).ConfigureAwait(false);
        var (text, truncated) = Cap(Text(result), outputLimitBytes);
        return result.IsError == true
            ? new ToolRunResult(1, "", text, false, truncated, time.GetElapsedTime(started))
            : new ToolRunResult(0, text, "", false, truncated, time.GetElapsedTime(started));
    }

    private static string Text(CallToolResult result)
    {
        var text = new StringBuilder();
        foreach (var block in result.Content)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(block switch
            {
                TextContentBlock t => t.Text,
                _ => $"[{block.Type} content]",
            });
        }

        if (text.Length == 0 && result.StructuredContent is { } structured)
        {
            text.Append(structured.GetRawText());
        }

        return text.ToString();
    }

    private static (string Text, bool Truncated) Cap(string text, int limitBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= limitBytes)
        {
            return (text, false);
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        var cut = limitBytes;
        // Never split a UTF-8 sequence: back up to the start of the character at the cut.
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        return (Encoding.UTF8.GetString(bytes, 0, cut), true);
    }
}
