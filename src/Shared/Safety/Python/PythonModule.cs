namespace NodeOps.Safety.Python;

/// <summary>
/// The parts of a Python module the inspector needs: import aliases ("import subprocess as sp", "from os import
/// system"), names bound to string literals ("CMD = 'rm -rf /'"), and the value of a call argument.
/// </summary>
internal sealed class PythonModule
{
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    public PythonModule(IReadOnlyList<PythonToken> tokens)
    {
        Tokens = tokens;
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

    /// <summary>The arguments of the call whose "(" is at <paramref name="open"/>; <paramref name="close"/> is its ")".</summary>
    public List<PythonArgument> Arguments(int open, out int close)
    {
        var arguments = new List<PythonArgument>();
        var current = new List<PythonToken>();
        var depth = 0;
        for (close = open + 1; close < Tokens.Count; close++)
        {
            var token = Tokens[close];
            if (token.Kind == PythonTokenKind.Operator && token.Text is "(" or "[" or "{")
            {
                depth++;
            }
            else if (token.Kind == PythonTokenKind.Operator && token.Text is ")" or "]" or "}")
            {
                if (depth-- == 0)
                {
                    break;
                }
            }
            else if (depth == 0 && token.IsOperator(","))
            {
                arguments.Add(ToArgument(current));
                current = [];
                continue;
            }

            current.Add(token);
        }

        if (current.Count > 0)
        {
            arguments.Add(ToArgument(current));
        }

        close = Math.Min(close, Tokens.Count - 1);
        return arguments;
    }

    /// <summary>The value of an argument when the source spells it out; null when it is computed.</summary>
    public PythonValue? Evaluate(IReadOnlyList<PythonToken> tokens)
    {
        if (tokens.Count == 0)
        {
            return null;
        }

        if (tokens[0].Kind == PythonTokenKind.Operator && tokens[0].Text is "[" or "(")
        {
            var items = new List<string>();
            foreach (var item in Split(tokens.Skip(1).Take(tokens.Count - 2).ToList()))
            {
                items.Add(Evaluate(item)?.Text ?? Shell.ShellWord.Unknown.ToString());
            }

            return new PythonValue(null, items);
        }

        var text = new System.Text.StringBuilder();
        for (var i = 0; i < tokens.Count; i += 2)
        {
            var token = tokens[i];
            var part = token.Kind switch
            {
                PythonTokenKind.String => token.Text,
                PythonTokenKind.Name when _strings.TryGetValue(token.Text, out var known) => known,
                _ => null,
            };
            if (part is null || (i + 1 < tokens.Count && !tokens[i + 1].IsOperator("+")))
            {
                return null;
            }

            text.Append(part);
        }

        return new PythonValue(text.ToString(), null);
    }

    private static PythonArgument ToArgument(List<PythonToken> tokens) =>
        tokens.Count >= 2 && tokens[0].Kind == PythonTokenKind.Name && tokens[1].IsOperator("=")
            ? new PythonArgument(tokens[0].Text, tokens.Skip(2).ToArray())
            : new PythonArgument(null, tokens);

    private static IEnumerable<List<PythonToken>> Split(List<PythonToken> tokens)
    {
        var current = new List<PythonToken>();
        foreach (var token in tokens)
        {
            if (token.IsOperator(","))
            {
                yield return current;
                current = [];
            }
            else
            {
                current.Add(token);
            }
        }

        if (current.Count > 0)
        {
            yield return current;
        }
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
