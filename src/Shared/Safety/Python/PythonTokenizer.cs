using System.Globalization;
using System.Text;
using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Python;

/// <summary>
/// Just enough of Python's lexer to find calls and their string arguments: comments are skipped, and strings are
/// decoded (escapes, raw and triple-quoted forms) so that text inside a comment or a string is never taken for a call.
/// An f-string's replacement fields become <see cref="ShellWord.Unknown"/>.
/// </summary>
internal static class PythonTokenizer
{
    public static List<PythonToken> Tokenize(string source)
    {
        var tokens = new List<PythonToken>();
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (char.IsWhiteSpace(c) || c == '\\')
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < source.Length && source[i] != '\n')
                {
                    i++;
                }
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < source.Length && (char.IsLetterOrDigit(source[i]) || source[i] == '_'))
                {
                    i++;
                }

                var word = source[start..i];
                tokens.Add(i < source.Length && source[i] is '\'' or '"' && IsStringPrefix(word)
                    ? ReadString(source, ref i, start, word)
                    : new PythonToken(PythonTokenKind.Name, word, start, i));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(ReadString(source, ref i, i, string.Empty));
            }
            else if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < source.Length && (char.IsAsciiLetterOrDigit(source[i]) || source[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(new PythonToken(PythonTokenKind.Number, source[start..i], start, i));
            }
            else
            {
                tokens.Add(new PythonToken(PythonTokenKind.Operator, c.ToString(), i, i + 1));
                i++;
            }
        }

        return tokens;
    }

    private static bool IsStringPrefix(string word) =>
        word.Length <= 2 && word.All(ch => "rRuUbBfFtT".Contains(ch, StringComparison.Ordinal));

    private static PythonToken ReadString(string source, ref int i, int start, string prefix)
    {
        var raw = prefix.Contains('r', StringComparison.OrdinalIgnoreCase);
        var formatted = prefix.Contains('f', StringComparison.OrdinalIgnoreCase) || prefix.Contains('t', StringComparison.OrdinalIgnoreCase);
        var quote = source[i];
        var triple = i + 2 < source.Length && source[i + 1] == quote && source[i + 2] == quote;
        i += triple ? 3 : 1;
        var value = new StringBuilder();
        while (i < source.Length)
        {
            var c = source[i];
            if (c == quote && (!triple || (i + 2 < source.Length && source[i + 1] == quote && source[i + 2] == quote)))
            {
                i += triple ? 3 : 1;
                break;
            }

            if (c == '\n' && !triple)
            {
                break;
            }

            if (c == '\\' && i + 1 < source.Length)
            {
                if (raw)
                {
                    value.Append(c).Append(source[i + 1]);
                    i += 2;
                }
                else
                {
                    i = AppendEscape(source, i + 1, value);
                }

                continue;
            }

            if (formatted && c is '{' or '}')
            {
                i = AppendReplacementField(source, i, quote, value);
                continue;
            }

            value.Append(c);
            i++;
        }

        return new PythonToken(PythonTokenKind.String, value.ToString(), start, i);
    }

    /// <summary>
    /// "{{" and "}}" are braces; "{expr}" is a value known only when the code runs. A field ends at the latest where
    /// its string does, which keeps unbalanced input linear.
    /// </summary>
    private static int AppendReplacementField(string source, int i, char quote, StringBuilder value)
    {
        var c = source[i];
        if (i + 1 < source.Length && source[i + 1] == c)
        {
            value.Append(c);
            return i + 2;
        }

        if (c == '}')
        {
            value.Append(c);
            return i + 1;
        }

        var depth = 0;
        for (; i < source.Length && source[i] != quote && source[i] != '\n'; i++)
        {
            if (source[i] == '{')
            {
                depth++;
            }
            else if (source[i] == '}' && --depth == 0)
            {
                value.Append(ShellWord.Unknown);
                return i + 1;
            }
        }

        value.Append(ShellWord.Unknown);
        return i;
    }

    /// <summary>Decodes the escape whose letter is at <paramref name="i"/>; returns the index after it.</summary>
    private static int AppendEscape(string source, int i, StringBuilder value)
    {
        var c = source[i];
        switch (c)
        {
            case '\n': return i + 1;
            case 'n': value.Append('\n'); return i + 1;
            case 't': value.Append('\t'); return i + 1;
            case 'r': value.Append('\r'); return i + 1;
            case 'a': value.Append('\a'); return i + 1;
            case 'b': value.Append('\b'); return i + 1;
            case 'f': value.Append('\f'); return i + 1;
            case 'v': value.Append('\v'); return i + 1;
            case '\\' or '\'' or '"': value.Append(c); return i + 1;
            case 'x': return AppendNumber(source, i + 1, 2, 16, value);
            case 'u': return AppendNumber(source, i + 1, 4, 16, value);
            case 'U': return AppendNumber(source, i + 1, 8, 16, value);
            case >= '0' and <= '7': return AppendNumber(source, i, 3, 8, value);
            default: value.Append('\\').Append(c); return i + 1;
        }
    }

    private static int AppendNumber(string source, int i, int maxDigits, int radix, StringBuilder value)
    {
        var end = i;
        while (end < source.Length && end - i < maxDigits && (radix == 16 ? char.IsAsciiHexDigit(source[end]) : source[end] is >= '0' and <= '7'))
        {
            end++;
        }

        if (end > i)
        {
            var number = radix == 16
                ? int.Parse(source.AsSpan(i, end - i), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                : Convert.ToInt32(source[i..end], 8);
            if (number is >= 0 and <= 0x10FFFF and (< 0xD800 or > 0xDFFF))
            {
                value.Append(char.ConvertFromUtf32(number));
            }
        }

        return end;
    }
}
