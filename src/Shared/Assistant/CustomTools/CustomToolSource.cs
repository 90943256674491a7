using Microsoft.Extensions.Options;

namespace NodeOps.Assistant.CustomTools;

/// <summary>The custom tools of "Assistant:Tools:Custom", built once from configuration (validated at start-up).</summary>
internal sealed class CustomToolSource(IOptions<AssistantOptions> options, ToolSandbox sandbox, TimeProvider time) : IAssistantToolSource
{
    public IReadOnlyList<IAssistantTool> AvailableTools { get; } = options.Value.Tools.Custom
        .Select(kv => (IAssistantTool)new CustomTool(kv.Key, kv.Value, options.Value.Tools.OutputLimitBytes, sandbox, time))
        .ToList();

    public IReadOnlyList<string> Notices => [];
}
