namespace NodeOps.Safety.Python;

/// <summary>
/// The parts of a Python module the inspector needs: import aliases ("import subprocess as sp", "from os import
/// system"), names bound to string literals ("CMD = 'rm -rf /'"), and the value of a call argument.
/// </summary>
internal sealed class PythonModule
{
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    /// <summary>For each opening bracket, the index of its closing bracket (-1 if none), so nothing is scanned twice.</summary>
    private readonly int[] _match;

    public PythonModule(IReadOnlyList<PythonToken> tokens)
    {
        Tokens = tokens;
        _match = MatchBrackets(tokens);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind != PythonTokenKind.Name)
            {
                continue;
            }

            if (token.Text == "import")
            {
                ReadImport(i);
            }
            else if (i + 2 < tokens.Count && tokens[i + 1].IsOperator("=") && !tokens[i + 2].IsOperator("=")
                && (i == 0 || !tokens[i - 1].IsOperator(".")) && StringAt(i + 2, out var text, out _))
            {
                _strings[token.Text] = text;
            }
        }
    }

    public IReadOnlyList<PythonToken> Tokens { get; }

    /// <summary>The qualified name of a dotted name as written: "sp.run" is "subprocess.run" after "import subprocess as sp".</summary>
    public string Qualify(IReadOnlyList<string> parts)
    {
        var head = _aliases.TryGetValue(parts[0], out var qualified) ? qualified : parts[0];
        return parts.Count == 1 ? head : head + "." + string.Join('.', parts.Skip(1));
    }

    /// <summary>
    /// The arguments of the call whose "(" is at <paramref name="open"/>, and its ")". False when the bracket never
    /// closes: Python would not run such code.
    /// </summary>
    public bool TryGetArguments(int open, out List<PythonArgument> arguments, out int close)
    {
        arguments = [];
        close = _match[open];
        if (close < 0)
        {
            return false;
        }

        foreach (var (start, end) in TopLevelItems(open + 1, close))
        {
            var keyword = end - start >= 2 && Tokens[start].Kind == PythonTokenKind.Name && Tokens[start + 1].IsOperator("=");
            arguments.Add(keyword ? new PythonArgument(Tokens[start].Text, start + 2, end) : new PythonArgument(null, start, end));
        }

        return true;
    }

    /// <summary>
    /// The value of an argument when the source spells it out: string literals joined by "+", names bound to one,
    /// or a list or tuple of those. Null when it is computed.
    /// </summary>
    public PythonValue? Evaluate(PythonArgument? argument)
    {
        if (argument is null || argument.Start >= argument.End)
        {
            return null;
        }

        var first = Tokens[argument.Start];
        if (first.Kind == PythonTokenKind.Operator && first.Text is "[" or "(" && _match[argument.Start] == argument.End - 1)
        {
            var items = TopLevelItems(argument.Start + 1, argument.End - 1)
                .Select(item => Concatenation(item.Start, item.End) ?? Shell.ShellWord.Unknown.ToString())
                .ToList();
            return new PythonValue(null, items);
        }

        return Concatenation(argument.Start, argument.End) is { } text ? new PythonValue(text, null) : null;
    }

    private static int[] MatchBrackets(IReadOnlyList<PythonToken> tokens)
    {
        var match = new int[tokens.Count];
        Array.Fill(match, -1);
        var open = new Stack<int>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Kind != PythonTokenKind.Operator)
            {
                continue;
            }

            if (tokens[i].Text is "(" or "[" or "{")
            {
                open.Push(i);
            }
            else if (tokens[i].Text is ")" or "]" or "}" && open.TryPop(out var opener))
            {
                match[opener] = i;
            }
        }

        return match;
    }

    /// <summary>The comma-separated items between two indexes, jumping over nested brackets.</summary>
    private List<(int Start, int End)> TopLevelItems(int from, int to)
    {
        var items = new List<(int, int)>();
        var start = from;
        for (var i = from; i < to; i++)
        {
            if (_match[i] > i)
            {
                i = Math.Min(_match[i], to);
            }
            else if (Tokens[i].IsOperator(","))
            {
                items.Add((start, i));
                start = i + 1;
            }
        }

        if (start < to)
        {
            items.Add((start, to));
        }

        return items;
    }

    /// <summary>String literals (adjacent ones concatenate) and names bound to them, joined by "+"; null for anything else.</summary>
    private string? Concatenation(int start, int end)
    {
        var text = new System.Text.StringBuilder();
        var expectValue = true;
        for (var i = start; i < end; i++)
        {
            var token = Tokens[i];
            if (!expectValue && token.IsOperator("+"))
            {
                expectValue = true;
                continue;
            }

            var adjacent = !expectValue && token.Kind == PythonTokenKind.String && Tokens[i - 1].Kind == PythonTokenKind.String;
            if (!expectValue && !adjacent)
            {
                return null;
            }

            var part = token.Kind switch
            {
                PythonTokenKind.String => token.Text,
                PythonTokenKind.Name when _strings.TryGetValue(token.Text, out var known) => known,
                _ => null,
            };
            if (part is null)
            {
                return null;
            }

            text.Append(part);
            expectValue = false;
        }

        return expectValue ? null : text.ToString();
    }

    /// <summary>Adjacent string literals concatenate, as in Python.</summary>
    private bool StringAt(int index, out string text, out int end)
    {
        var value = new System.Text.StringBuilder();
        end = index;
        while (end < Tokens.Count && Tokens[end].Kind == PythonTokenKind.String)
        {
            value.Append(Tokens[end++].Text);
        }

        text = value.ToString();
        return end > index;
    }

    private void ReadImport(int i)
    {
        string? from = null;
        if (i >= 2 && Tokens[i - 1].Kind == PythonTokenKind.Name)
        {
            var (module, start) = Dotted(i - 1);
            from = start >= 1 && Tokens[start - 1].Text == "from" ? module : null;
        }

        var j = i + 1;
        while (j < Tokens.Count)
        {
            if (Tokens[j].IsOperator("(") || Tokens[j].IsOperator(",") || Tokens[j].IsOperator(")"))
            {
                j++;
                continue;
            }

            if (Tokens[j].Kind != PythonTokenKind.Name)
            {
                return;
            }

            var name = Tokens[j].Text;
            while (j + 2 < Tokens.Count && Tokens[j + 1].IsOperator(".") && Tokens[j + 2].Kind == PythonTokenKind.Name)
            {
                name += "." + Tokens[j + 2].Text;
                j += 2;
            }

            var local = name;
            if (j + 2 < Tokens.Count && Tokens[j + 1].Text == "as" && Tokens[j + 2].Kind == PythonTokenKind.Name)
            {
                local = Tokens[j + 2].Text;
                j += 2;
            }

            _aliases[local] = from is null ? name : $"{from}.{name}";
            j++;
            if (j >= Tokens.Count || !(Tokens[j].IsOperator(",") || Tokens[j].IsOperator("(") || Tokens[j].IsOperator(")")))
            {
                return;
            }
        }
    }

    /// <summary>The dotted module name ending at token <paramref name="end"/> ("os.path" in "from os.path import x").</summary>
    private (string Name, int Start) Dotted(int end)
    {
        var name = Tokens[end].Text;
        while (end >= 2 && Tokens[end - 1].IsOperator(".") && Tokens[end - 2].Kind == PythonTokenKind.Name)
        {
            end -= 2;
            name = Tokens[end].Text + "." + name;
        }

        return (name, end);
    }
}
