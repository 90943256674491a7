using System.Globalization;
using System.Text;
using NodeOps.Errors;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// The ansible-playbook options a caller may pass in extra_args, and nothing else: --check, --diff, --tags,
/// --skip-tags, --limit, --start-at-task and -v to -vvv. Anything else (a connection option, a vault file, an
/// inventory, an extra-vars file) could change where or how the playbook runs, so it is refused with a 400 that
/// names the argument. The parsed form is what a run passes on, rebuilt here, never the caller's text.
/// </summary>
public sealed record AnsibleArguments
{
    public const string Field = "extra_args";
    public const int MaxLength = 2048;
    private const int MaxValueLength = 512;

    public bool Check { get; init; }

    public bool Diff { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyList<string> SkipTags { get; init; } = [];

    /// <summary>A host pattern within the run's targets (checked against them by <see cref="AnsibleLimit"/>).</summary>
    public string? Limit { get; init; }

    public string? StartAtTask { get; init; }

    /// <summary>0 to 3 (-v to -vvv).</summary>
    public int Verbosity { get; init; }

    public static AnsibleArguments None { get; } = new();

    /// <summary>The options on ansible-playbook's command line, each value its own argument (no shell in between).</summary>
    public IReadOnlyList<string> ToCommandLine()
    {
        var arguments = new List<string>();
        if (Check)
        {
            arguments.Add("--check");
        }

        if (Diff)
        {
            arguments.Add("--diff");
        }

        if (Tags.Count > 0)
        {
            arguments.Add("--tags=" + string.Join(',', Tags));
        }

        if (SkipTags.Count > 0)
        {
            arguments.Add("--skip-tags=" + string.Join(',', SkipTags));
        }

        if (Limit is not null)
        {
            arguments.Add("--limit=" + Limit);
        }

        if (StartAtTask is not null)
        {
            arguments.Add("--start-at-task=" + StartAtTask);
        }

        if (Verbosity > 0)
        {
            arguments.Add("-" + new string('v', Verbosity));
        }

        return arguments;
    }

    /// <summary>Parses extra_args as a shell-like word list (quotes allowed, no expansions); null or blank is none.</summary>
    public static AnsibleArguments Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return None;
        }

        if (text.Length > MaxLength)
        {
            throw NodeOpsException.BadRequest(Field, $"extra_args 最长 {MaxLength} 字符");
        }

        var words = Split(text);
        var result = None;
        var tags = new List<string>();
        var skipTags = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var (name, inlineValue) = word.StartsWith("--", StringComparison.Ordinal) && word.IndexOf('=', StringComparison.Ordinal) is var eq and > 2
                ? (word[..eq], word[(eq + 1)..])
                : (word, null);
            switch (name)
            {
                case "--check" or "-C" when inlineValue is null:
                    result = result with { Check = true };
                    break;
                case "--diff" or "-D" when inlineValue is null:
                    result = result with { Diff = true };
                    break;
                case "--tags" or "-t":
                    tags.AddRange(TagList(name, Value(words, ref i, name, inlineValue)));
                    break;
                case "--skip-tags":
                    skipTags.AddRange(TagList(name, Value(words, ref i, name, inlineValue)));
                    break;
                case "--limit" or "-l":
                    result = result with { Limit = Once(result.Limit, name, Value(words, ref i, name, inlineValue)) };
                    break;
                case "--start-at-task":
                    result = result with { StartAtTask = Once(result.StartAtTask, name, Value(words, ref i, name, inlineValue)) };
                    break;
                case "-v" or "-vv" or "-vvv" or "--verbose" when inlineValue is null:
                    var verbosity = result.Verbosity + (name == "--verbose" ? 1 : name.Length - 1);
                    if (verbosity > 3)
                    {
                        throw NodeOpsException.BadRequest(Field, "extra_args 的详细级别最多 -vvv");
                    }

                    result = result with { Verbosity = verbosity };
                    break;
                default:
                    throw NodeOpsException.BadRequest(Field, $"extra_args 不允许的参数: {Shown(word)}。只允许 --check、--diff、--tags、--skip-tags、--limit、--start-at-task 和 -v 到 -vvv");
            }
        }

        return result with { Tags = tags.Distinct(StringComparer.Ordinal).ToList(), SkipTags = skipTags.Distinct(StringComparer.Ordinal).ToList() };
    }

    private static string Value(List<string> words, ref int i, string name, string? inlineValue)
    {
        var value = inlineValue;
        if (value is null)
        {
            if (i + 1 >= words.Count)
            {
                throw NodeOpsException.BadRequest(Field, $"extra_args 的 {name} 缺少值");
            }

            value = words[++i];
        }

        if (value.Length == 0 || value.StartsWith('-'))
        {
            throw NodeOpsException.BadRequest(Field, $"extra_args 的 {name} 缺少值");
        }

        if (value.Length > MaxValueLength || value.Any(char.IsControl))
        {
            throw NodeOpsException.BadRequest(Field, $"extra_args 的 {name} 值无效 (最长 {MaxValueLength} 字符，不含控制字符)");
        }

        return value;
    }

    private static string Once(string? existing, string name, string value) =>
        existing is null ? value : throw NodeOpsException.BadRequest(Field, $"extra_args 的 {name} 只能出现一次");

    private static string[] TagList(string name, string value)
    {
        var tags = value.Split(',', StringSplitOptions.TrimEntries);
        foreach (var tag in tags)
        {
            // Tag names are words; anything else would be a template or a pattern, which tags are not.
            if (tag.Length == 0 || !tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                throw NodeOpsException.BadRequest(Field, $"extra_args 的 {name} 标签无效: {Shown(tag)}");
            }
        }

        return tags;
    }

    private static string Shown(string word) => word.Length > 80 ? word[..80] + "..." : word;

    /// <summary>Splits words like a shell would, quotes and backslashes included, but expands nothing.</summary>
    private static List<string> Split(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }

                continue;
            }

            if (quote == '"')
            {
                if (c == '"')
                {
                    quote = null;
                }
                else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
                {
                    current.Append(text[++i]);
                }
                else
                {
                    current.Append(c);
                }

                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
            }
            else
            {
                current.Append(c);
            }
        }

        if (quote is not null)
        {
            throw NodeOpsException.BadRequest(Field, string.Create(CultureInfo.InvariantCulture, $"extra_args 的引号 {quote} 没有闭合"));
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
