namespace NodeOps.Safety.Rules;

/// <summary>
/// Expands "{a,b}" as bash does before running a command, so "rm -rf /{etc,usr}" is judged as two paths.
/// The parser keeps quoted braces as text too; expanding those as well only errs towards blocking.
/// </summary>
internal static class BraceExpansion
{
    private const int MaxResults = 64;

    /// <summary>Words longer than this are not expanded; paths worth judging are short, and this keeps the work linear.</summary>
    private const int MaxLength = 4096;

    public static IReadOnlyList<string> Expand(string word)
    {
        if (word.Length > MaxLength || !word.Contains('{', StringComparison.Ordinal))
        {
            return [word];
        }

        var results = new List<string>();
        Expand(word, results);
        return results;
    }

    private static void Expand(string word, List<string> results)
    {
        if (results.Count >= MaxResults)
        {
            return;
        }

        var (open, close, commas) = FindGroup(word);
        if (open < 0)
        {
            results.Add(word);
            return;
        }

        var prefix = word[..open];
        var suffix = word[(close + 1)..];
        var start = open + 1;
        foreach (var comma in commas.Append(close))
        {
            Expand(prefix + word[start..comma] + suffix, results);
            start = comma + 1;
        }
    }

    /// <summary>The first "{...}" holding a top-level comma, with the commas' positions.</summary>
    private static (int Open, int Close, List<int> Commas) FindGroup(string word)
    {
        for (var open = word.IndexOf('{', StringComparison.Ordinal); open >= 0; open = word.IndexOf('{', open + 1))
        {
            var depth = 0;
            var commas = new List<int>();
            for (var i = open; i < word.Length; i++)
            {
                switch (word[i])
                {
                    case '{':
                        depth++;
                        break;
                    case ',' when depth == 1:
                        commas.Add(i);
                        break;
                    case '}':
                        depth--;
                        if (depth == 0 && commas.Count > 0)
                        {
                            return (open, i, commas);
                        }

                        if (depth == 0)
                        {
                            i = word.Length;
                        }

                        break;
                }
            }
        }

        return (-1, -1, []);
    }
}
