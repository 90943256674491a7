using System.Text;

namespace NodeOps.Assistant;

/// <summary>
/// OpenAI-compatible APIs accept function names matching ^[a-zA-Z0-9_-]{1,64}$ and refuse the whole request otherwise,
/// while NodeOps names an MCP tool "server.tool". On the wire every other character becomes '_'; the model's answer is
/// mapped back through the request's own tools, so the agent only ever sees NodeOps's names.
/// </summary>
internal static class ToolWireNames
{
    private const int MaxLength = 64;

    public static string ToWire(string name)
    {
        var wire = new StringBuilder(Math.Min(name.Length, MaxLength));
        foreach (var c in name.Take(MaxLength))
        {
            wire.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        return wire.ToString();
    }

    public static string FromWire(string wire, IReadOnlyList<LlmToolDefinition> tools) =>
        tools.FirstOrDefault(t => ToWire(t.Name) == wire)?.Name ?? wire;
}
