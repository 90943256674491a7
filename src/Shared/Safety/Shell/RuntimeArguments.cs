using System.Text.RegularExpressions;

namespace NodeOps.Safety.Shell;

/// <summary>
/// How xargs or parallel completes a command with arguments read at run time: appended at the end, or put in place
/// of a replace string ("xargs -I{} dd of={}", parallel's "{}", "{.}", "{/}"...).
/// </summary>
/// <param name="ReplaceString">xargs' -I string; null with <paramref name="ParallelTokens"/> false means appended.</param>
/// <param name="ParallelTokens">parallel's replacement strings, "{}" and its variants.</param>
internal sealed partial record RuntimeArguments(string? ReplaceString, bool ParallelTokens)
{
    public static RuntimeArguments Appended { get; } = new(null, false);

    public static RuntimeArguments Parallel { get; } = new(null, true);

    /// <summary>The words as they would run with <paramref name="value"/> as the run-time argument.</summary>
    public IReadOnlyList<ShellWord> Apply(IReadOnlyList<ShellWord> words, string value)
    {
        ArgumentNullException.ThrowIfNull(words);
        var replaced = false;
        var result = new List<ShellWord>(words.Count + 1);
        foreach (var word in words)
        {
            var text = ParallelTokens
                ? ParallelToken().Replace(word.Value, value)
                : ReplaceString is { Length: > 0 } token ? word.Value.Replace(token, value, StringComparison.Ordinal) : word.Value;
            replaced |= text != word.Value;
            result.Add(text == word.Value ? word : new ShellWord(text));
        }

        if (!replaced)
        {
            result.Add(new ShellWord(value));
        }

        return result;
    }

    [GeneratedRegex(@"\{[0-9]*[./#%]*\}")]
    private static partial Regex ParallelToken();
}
