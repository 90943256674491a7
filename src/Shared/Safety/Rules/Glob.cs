namespace NodeOps.Safety.Rules;

/// <summary>Shell pattern matching ("*", "?", "[a-z]", "[!x]") for one path component.</summary>
internal static class Glob
{
    public static bool HasWildcard(string text) => text.AsSpan().IndexOfAny("*?[") >= 0;

    public static bool IsMatch(string pattern, string text)
    {
        if (!HasWildcard(pattern))
        {
            return string.Equals(pattern, text, StringComparison.Ordinal);
        }

        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (p < pattern.Length && MatchOne(pattern, ref p, text[t]))
            {
                t++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>Matches one character at <paramref name="p"/> and advances past it on success.</summary>
    private static bool MatchOne(string pattern, ref int p, char c)
    {
        if (pattern[p] == '?')
        {
            p++;
            return true;
        }

        if (pattern[p] != '[')
        {
            if (pattern[p] != c)
            {
                return false;
            }

            p++;
            return true;
        }

        var close = pattern.IndexOf(']', p + 2);
        if (close < 0)
        {
            if (c != '[')
            {
                return false;
            }

            p++;
            return true;
        }

        var i = p + 1;
        var negate = pattern[i] is '!' or '^';
        if (negate)
        {
            i++;
        }

        var found = false;
        for (; i < close; i++)
        {
            if (i + 2 < close && pattern[i + 1] == '-')
            {
                found |= c >= pattern[i] && c <= pattern[i + 2];
                i += 2;
            }
            else
            {
                found |= c == pattern[i];
            }
        }

        if (found == negate)
        {
            return false;
        }

        p = close + 1;
        return true;
    }
}
