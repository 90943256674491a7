using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodeOps.Processes;

namespace NodeOps.Assistant.CustomTools;

/// <summary>
/// A tool declared in configuration: the model's parameters are checked against their types, then each fills its
/// own argument slot of the command (one argument, never text substitution, no shell), and the program runs in the
/// sandbox like kubectl. A write unless declared read-only.
/// </summary>
internal sealed class CustomTool(string name, CustomToolOptions options, int outputLimitBytes, ToolSandbox sandbox, TimeProvider time) : IAssistantTool
{
    public string Name => name;

    public LlmToolDefinition Definition { get; } = new(name, options.Description, Schema(options));

    public PlannedToolCall Plan(string argumentsJson, ToolContext context)
    {
        var (values, problem) = Read(argumentsJson);
        if (problem is not null)
        {
            return new PlannedToolCall(Name, [], Name, CommandSafety.Write, problem);
        }

        var argv = new List<string>();
        foreach (var word in options.Command.Skip(1))
        {
            if (CustomToolRules.Slot(word) is { } slot)
            {
                if (values!.TryGetValue(slot, out var value))
                {
                    argv.Add(value);
                }
            }
            else
            {
                argv.Add(word);
            }
        }

        return new PlannedToolCall(Name, argv, options.Command[0] + " " + ShellWords.Join(argv), options.ReadOnly ? CommandSafety.Read : CommandSafety.Write, null);
    }

    public async Task<ToolRunResult> ExecuteAsync(PlannedToolCall call, ToolContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var folder = Directory.CreateTempSubdirectory("nodeops-tool-").FullName;
        try
        {
            var start = new BoundedProcessStart(options.Command[0], call.Argv, options.Timeout)
            {
                WorkingDirectory = folder,
                InheritEnvironment = false,
                Environment = new Dictionary<string, string?>
                {
                    ["HOME"] = folder,
                    ["PATH"] = BoundedProcess.SystemPath,
                    ["LANG"] = "C.UTF-8",
                },
                OutputLimitBytes = outputLimitBytes,
            };
            start = await sandbox.ConfineAsync(start, folder, cancellationToken).ConfigureAwait(false);
            return await ToolProcess.RunAsync(start, time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The model's arguments as text values, each checked against its declared type; or why they are refused.</summary>
    private (Dictionary<string, string>? Values, string? Problem) Read(string argumentsJson)
    {
        JsonObject arguments;
        try
        {
            arguments = JsonNode.Parse(string.IsNullOrWhiteSpace(argumentsJson) ? "{}" : argumentsJson) as JsonObject
                ?? throw new JsonException();
        }
        catch (JsonException)
        {
            return (null, "参数必须是 JSON 对象");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, node) in arguments)
        {
            if (!options.Parameters.TryGetValue(key, out var parameter))
            {
                return (null, $"未知参数 {key}；允许的参数：{string.Join(", ", options.Parameters.Keys)}");
            }

            if (node is null)
            {
                continue;
            }

            var (value, problem) = Check(key, parameter, node);
            if (problem is not null)
            {
                return (null, problem);
            }

            values[key] = value!;
        }

        var missing = options.Parameters.Where(p => p.Value.Required && !values.ContainsKey(p.Key)).Select(p => p.Key).ToList();
        return missing.Count > 0 ? (null, $"缺少必填参数：{string.Join(", ", missing)}") : (values, null);
    }

    private static (string? Value, string? Problem) Check(string key, CustomToolParameterOptions parameter, JsonNode node)
    {
        switch (parameter.Type)
        {
            case "integer":
                if (!(node is JsonValue v && (v.TryGetValue<long>(out var number) || (v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number)))))
                {
                    return (null, $"参数 {key} 必须是整数");
                }

                if (number < (parameter.Minimum ?? long.MinValue) || number > (parameter.Maximum ?? long.MaxValue))
                {
                    return (null, $"参数 {key} 必须在 {parameter.Minimum?.ToString(CultureInfo.InvariantCulture) ?? "-∞"} 到 {parameter.Maximum?.ToString(CultureInfo.InvariantCulture) ?? "∞"} 之间");
                }

                return (number.ToString(CultureInfo.InvariantCulture), null);
            case "enum":
                var choice = node is JsonValue e && e.TryGetValue<string>(out var c) ? c : null;
                return choice is not null && parameter.Values.Contains(choice, StringComparer.Ordinal)
                    ? (choice, null)
                    : (null, $"参数 {key} 必须是以下之一：{string.Join(", ", parameter.Values)}");
            default:
                var text = node is JsonValue t && t.TryGetValue<string>(out var str) ? str : null;
                if (text is null)
                {
                    return (null, $"参数 {key} 必须是字符串");
                }

                if (text.Length > parameter.MaxLength || text.Contains('\0', StringComparison.Ordinal))
                {
                    return (null, $"参数 {key} 最长 {parameter.MaxLength} 字符，且不能包含 NUL");
                }

                return (text, null);
        }
    }

    private static string Schema(CustomToolOptions options)
    {
        var properties = new JsonObject();
        foreach (var (key, parameter) in options.Parameters)
        {
            var property = new JsonObject
            {
                ["type"] = parameter.Type switch { "integer" => "integer", _ => "string" },
                ["description"] = parameter.Description,
            };
            if (parameter.Type == "enum")
            {
                property["enum"] = new JsonArray([.. parameter.Values.Select(v => (JsonNode?)v)]);
            }

            if (parameter.Type == "integer")
            {
                if (parameter.Minimum is { } min)
                {
                    property["minimum"] = min;
                }

                if (parameter.Maximum is { } max)
                {
                    property["maximum"] = max;
                }
            }

            properties[key] = property;
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray([.. options.Parameters.Where(p => p.Value.Required).Select(p => (JsonNode?)p.Key)]),
        }.ToJsonString();
    }
}
