namespace NodeOps.Safety.Shell;

/// <summary>
/// getopt-style reading of a command's arguments: "-rf" is two flags, "-n 10" and "--user=x" carry values, "--"
/// ends the options. Each rule says which options take a value, because that decides what counts as an operand.
/// </summary>
internal sealed class ParsedArgs
{
    private readonly HashSet<char> _flags = [];
    private readonly List<KeyValuePair<string, string?>> _long = [];
    private readonly List<KeyValuePair<char, string>> _values = [];

    private ParsedArgs()
    {
    }

    /// <summary>Arguments that are not options, in order (empty when parsing stopped at the first one).</summary>
    public List<ShellWord> Operands { get; } = [];

    /// <summary>Index of the first word not consumed: with stopAtOperand, the wrapped command's name.</summary>
    public int Next { get; private set; }

    /// <param name="words">All words of the command, name included.</param>
    /// <param name="start">Index of the first argument to read.</param>
    /// <param name="valueFlags">Short options that take a value ("n" for "-n 10").</param>
    /// <param name="valueOptions">Long options that take a value when not written with "=".</param>
    /// <param name="stopAtOperand">Stop at the first operand, as wrappers like sudo and nice do, instead of permuting like GNU tools.</param>
    public static ParsedArgs Parse(
        IReadOnlyList<ShellWord> words,
        int start = 1,
        string valueFlags = "",
        IReadOnlyCollection<string>? valueOptions = null,
        bool stopAtOperand = false)
    {
        var result = new ParsedArgs();
        var i = start;
        for (; i < words.Count; i++)
        {
            var word = words[i].Value;
            if (word == "--")
            {
                i++;
                if (!stopAtOperand)
                {
                    result.Operands.AddRange(words.Skip(i));
                    i = words.Count;
                }

                break;
            }

            if (word.StartsWith("--", StringComparison.Ordinal))
            {
                var equals = word.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? word[2..] : word[2..equals];
                var value = equals < 0 ? null : word[(equals + 1)..];
                if (value is null && valueOptions?.Contains(name) == true && i + 1 < words.Count)
                {
                    value = words[++i].Value;
                }

                result._long.Add(new(name, value));
                continue;
            }

            if (word.Length > 1 && word[0] == '-')
            {
                for (var k = 1; k < word.Length; k++)
                {
                    var flag = word[k];
                    result._flags.Add(flag);
                    if (valueFlags.Contains(flag, StringComparison.Ordinal))
                    {
                        var value = k + 1 < word.Length ? word[(k + 1)..] : (i + 1 < words.Count ? words[++i].Value : string.Empty);
                        result._values.Add(new(flag, value));
                        break;
                    }
                }

                continue;
            }

            if (stopAtOperand)
            {
                break;
            }

            result.Operands.Add(words[i]);
        }

        result.Next = i;
        return result;
    }

    public IReadOnlySet<char> Flags => _flags;

    public bool Has(char flag) => _flags.Contains(flag);

    public bool HasAny(string flags) => flags.Any(_flags.Contains);

    public bool HasLong(string name) => _long.Exists(o => o.Key == name);

    /// <summary>GNU getopt accepts any unambiguous prefix, so "--rec" is "--recursive".</summary>
    public bool HasLongAbbreviation(string name, int minLength) =>
        _long.Exists(o => o.Key.Length >= minLength && name.StartsWith(o.Key, StringComparison.Ordinal));

    public bool HasLongStartingWith(string prefix) => _long.Exists(o => o.Key.StartsWith(prefix, StringComparison.Ordinal));

    public string? Value(char flag) => _values.FindLast(v => v.Key == flag).Value;

    public string? LongValue(string name) => _long.FindLast(o => o.Key == name).Value;

    public IEnumerable<string> Values(char flag) => _values.Where(v => v.Key == flag).Select(v => v.Value);

    public IEnumerable<string> LongValues(string name) => _long.Where(o => o.Key == name && o.Value is not null).Select(o => o.Value!);

    public IEnumerable<string> LongNames => _long.Select(o => o.Key);
}
