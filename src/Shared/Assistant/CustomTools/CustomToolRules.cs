using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace NodeOps.Assistant.CustomTools;

/// <summary>Start-up checks of the custom tools, each failure naming the setting at fault and what is allowed.</summary>
internal sealed partial class CustomToolRules : IValidateOptions<AssistantOptions>
{
    private static readonly string[] Types = ["string", "integer", "enum"];

    /// <summary>The parameter an argument is the slot of ("{name}" exactly), or null for a literal argument.</summary>
    public static string? Slot(string word) => SlotPattern().Match(word) is { Success: true } m ? m.Groups[1].Value : null;

    public ValidateOptionsResult Validate(string? name, AssistantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        foreach (var (tool, definition) in options.Tools.Custom)
        {
            problems.AddRange(CheckTool(tool, definition));
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static IEnumerable<string> CheckTool(string tool, CustomToolOptions definition)
    {
        var at = $"Assistant:Tools:Custom:{tool}";
        if (!NamePattern().IsMatch(tool) || tool is "kubectl" or "bash")
        {
            yield return $"{at}: a tool name is lowercase letters, digits, '-' and '_' (at most 64, starting with a letter), and not kubectl or bash.";
        }

        if (string.IsNullOrWhiteSpace(definition.Description))
        {
            yield return $"{at}:Description is required: the model chooses tools by it.";
        }

        if (definition.Command.Count == 0 || !Path.IsPathRooted(definition.Command[0]))
        {
            yield return $"{at}:Command must be a list whose first item is the program's absolute path (e.g. Command:0=/usr/bin/dig).";
        }

        if (definition.Timeout <= TimeSpan.Zero)
        {
            yield return $"{at}:Timeout must be positive.";
        }

        foreach (var word in definition.Command.Skip(1))
        {
            if (Slot(word) is { } slot)
            {
                if (!definition.Parameters.ContainsKey(slot))
                {
                    yield return $"{at}:Command has the slot {{{slot}}} but no parameter {slot} is declared.";
                }
            }
            else if (word.Contains('{', StringComparison.Ordinal) || word.Contains('}', StringComparison.Ordinal))
            {
                yield return $"{at}:Command argument '{word}': a parameter fills a whole argument (\"{{name}}\"), never part of one.";
            }
        }

        foreach (var (parameter, spec) in definition.Parameters)
        {
            if (!Types.Contains(spec.Type, StringComparer.Ordinal))
            {
                yield return $"{at}:Parameters:{parameter}:Type must be one of: {string.Join(", ", Types)}.";
            }

            if (spec.Type == "enum" && spec.Values.Count == 0)
            {
                yield return $"{at}:Parameters:{parameter}:Values must list the allowed values of an enum.";
            }

            if (!definition.Command.Skip(1).Any(w => Slot(w) == parameter))
            {
                yield return $"{at}:Parameters:{parameter} has no slot {{{parameter}}} in Command.";
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,63}$")]
    internal static partial Regex NamePattern();

    [GeneratedRegex(@"^\{([A-Za-z_][A-Za-z0-9_]*)\}$")]
    private static partial Regex SlotPattern();
}
