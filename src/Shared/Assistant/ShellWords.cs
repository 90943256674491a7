using System.Text;

namespace NodeOps.Assistant;

/// <summary>A command line split into words the way a POSIX shell would, without running a shell.</summary>
public sealed record ShellWordsResult(IReadOnlyList<string> Words, string? Operator, bool Unterminated);

/// <summary>
/// Splits a command line into words: whitespace separates, single quotes are literal, double quotes and
/// backslashes escape. Unquoted shell operators (pipes, lists, redirections, substitutions) are reported, not
/// interpreted: the tools run argv directly, so anything that would need a shell is refused by the caller.
/// </summary>
public static class ShellWords
{
    public static ShellWordsResult Split(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        string? op = null;
        var i = 0;
        while (i < commandLine.Length)
        {
            var c = commandLine[i];
            if (char.IsWhiteSpace(c))
            {
                Flush();
                i++;
                continue;
            }

            switch (c)
            {
                case '\'':
                {
                    var end = commandLine.IndexOf('\'', i + 1);
                    if (end < 0)
                    {
                        return new ShellWordsResult(words, op, true);
                    }

                    current.Append(commandLine, i + 1, end - i - 1);
                    inWord = true;
                    i = end + 1;
                    continue;
                }

                case '"':
                {
                    i++;
                    inWord = true;
                    while (i < commandLine.Length && commandLine[i] != '"')
                    {
                        if (commandLine[i] == '\\' && i + 1 < commandLine.Length && commandLine[i + 1] is '"' or '\\' or '$' or '`')
                        {
                            i++;
                        }
                        else if (commandLine[i] is '$' or '`')
                        {
                            op ??= commandLine[i] == '`' ? "`" : "$";
                        }

                        current.Append(commandLine[i]);
                        i++;
                    }

                    if (i >= commandLine.Length)
                    {
                        return new ShellWordsResult(words, op, true);
                    }

                    i++;
                    continue;
                }

                case '\\' when i + 1 < commandLine.Length:
                    current.Append(commandLine[i + 1]);
                    inWord = true;
                    i += 2;
                    continue;
                case '|' or '&' or ';' or '<' or '>' or '(' or ')' or '`':
                    op ??= c.ToString();
                    Flush();
                    i++;
                    continue;
                case '$' when i + 1 < commandLine.Length && commandLine[i + 1] is '(' or '{' || (i + 1 < commandLine.Length && char.IsLetter(commandLine[i + 1])):
                    op ??= "$";
                    current.Append(c);
                    inWord = true;
                    i++;
                    continue;
                default:
                    current.Append(c);
                    inWord = true;
                    i++;
                    continue;
            }
        }

        Flush();
        return new ShellWordsResult(words, op, false);

        void Flush()
        {
            if (inWord)
            {
                words.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
        }
    }

    /// <summary>Joins words back into a line a person can read and a shell would split the same way.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    private static string Quote(string word) =>
        word.Length > 0 && word.All(ch => char.IsLetterOrDigit(ch) || "-_./:=,@%+".Contains(ch, StringComparison.Ordinal))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
