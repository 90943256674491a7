using System.Text.Json;

namespace NodeOps.Assistant;

/// <summary>Reads the "command" string (or an "args" word list) the model passed to a tool.</summary>
internal static class ToolArguments
{
    public static (IReadOnlyList<string>? Words, string? Text, string? Problem) Read(string argumentsJson)
    {
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(argumentsJson) ? "{}" : argumentsJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null, "参数必须是 JSON 对象，例如 {\"command\": \"kubectl get pods\"}");
            }

            if (root.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Array)
            {
                if (args.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
                {
                    return (null, null, "args 必须是字符串数组");
                }

                return (args.EnumerateArray().Select(a => a.GetString()!).ToList(), null, null);
            }

            if (root.TryGetProperty("command", out var command) && command.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(command.GetString()))
            {
                return (null, command.GetString()!.Trim(), null);
            }

            return (null, null, "缺少 command 参数，例如 {\"command\": \"kubectl get pods\"}");
        }
        catch (JsonException)
        {
            return (null, null, "参数不是有效的 JSON，例如 {\"command\": \"kubectl get pods\"}");
        }
    }
}
