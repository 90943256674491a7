using System.Text;

namespace NodeOps.Safety.Shell;

/// <summary>Reading words: quotes, escapes, expansions and redirections.</summary>
internal sealed partial class ShellParser
{
    private static bool IsWordBreak(char c) => c is ' ' or '\t' or '\r' or '\n' or ';' or '&' or '|' or '<' or '>' or '(' or ')';

    private (string Raw, ShellWord Word) ReadWord()
    {
        var start = _pos;
        var value = new StringBuilder();
        if (At(0) is '<' or '>' && At(1) == '(')
        {
            // Process substitution: the command inside runs.
            _pos += 2;
            ReadCommandSubstitution();
            value.Append(ShellWord.Unknown);
        }

        while (!AtEnd)
        {
            var c = _text[_pos];
            if (IsWordBreak(c))
            {
                break;
            }

            switch (c)
            {
                case '\\':
                    if (At(1) == '\n')
                    {
                        _pos += 2;
                    }
                    else if (_pos + 1 < _text.Length)
                    {
                        value.Append(_text[_pos + 1]);
                        _pos += 2;
                    }
                    else
                    {
                        value.Append('\\');
                        _pos++;
                    }

                    break;
                case '\'':
                    ReadSingleQuoted(value);
                    break;
                case '"':
                    _pos++;
                    ReadDoubleQuoted(value, hereDocument: false);
                    break;
                case '$':
                    ReadDollar(value, inDoubleQuotes: false);
                    break;
                case '`':
                    ReadBackticks(value);
                    break;
                case '~' when _pos == start:
                    ReadTilde(value);
                    break;
                default:
                    value.Append(c);
                    _pos++;
                    break;
            }
        }

        var raw = _text[start.._pos];
        var text = value.ToString();
        return (raw, new ShellWord(text) { IsProcessSubstitution = text == ShellWord.Unknown.ToString() && raw.StartsWith("<(", StringComparison.Ordinal) });
    }

    private void ReadTilde(StringBuilder value)
    {
        var p = _pos + 1;
        while (p < _text.Length && (char.IsAsciiLetterOrDigit(_text[p]) || _text[p] is '_' or '-' or '.'))
        {
            p++;
        }

        if (p < _text.Length && _text[p] != '/' && !IsWordBreak(_text[p]))
        {
            value.Append('~');
            _pos++;
            return;
        }

        // "~" and "~user" are someone's home directory; "~-" is the previous directory.
        value.Append(p == _pos + 2 && _text[_pos + 1] == '-' ? ShellWord.Unknown : ShellWord.Home);
        _pos = p;
    }

    private void ReadSingleQuoted(StringBuilder value)
    {
        var open = _pos;
        var close = _text.IndexOf('\'', _pos + 1);
        if (close < 0)
        {
            value.Append(_text.AsSpan(_pos + 1));
            _pos = _text.Length;
            MarkIncomplete(open);
            return;
        }

        value.Append(_text.AsSpan(_pos + 1, close - _pos - 1));
        _pos = close + 1;
    }

    /// <summary>
    /// Reads the inside of double quotes (<see cref="_pos"/> after the opening quote), or a whole here-document body,
    /// where quotes are plain characters but "$" and backticks still expand.
    /// </summary>
    private void ReadDoubleQuoted(StringBuilder value, bool hereDocument)
    {
        var open = _pos - 1;
        while (!AtEnd)
        {
            var c = _text[_pos];
            if (c == '"' && !hereDocument)
            {
                _pos++;
                return;
            }

            switch (c)
            {
                case '\\':
                    var next = At(1);
                    if (next == '\n')
                    {
                        _pos += 2;
                    }
                    else if (next is '$' or '`' or '\\' || (next == '"' && !hereDocument))
                    {
                        value.Append(next);
                        _pos += 2;
                    }
                    else
                    {
                        value.Append('\\');
                        _pos++;
                    }

                    break;
                case '$':
                    ReadDollar(value, inDoubleQuotes: true);
                    break;
                case '`':
                    ReadBackticks(value);
                    break;
                default:
                    value.Append(c);
                    _pos++;
                    break;
            }
        }

        if (!hereDocument)
        {
            MarkIncomplete(open);
        }
    }

    private void ReadDollar(StringBuilder value, bool inDoubleQuotes)
    {
        var next = At(1);
        switch (next)
        {
            case '(' when At(2) == '(' && OpensArithmetic(_pos + 1):
                _pos++;
                SkipArithmetic();
                value.Append(ShellWord.Unknown);
                return;
            case '(':
                _pos += 2;
                ReadCommandSubstitution();
                value.Append(ShellWord.Unknown);
                return;
            case '{':
                _pos += 2;
                ReadParameterExpansion(value);
                return;
            case '\'' when !inDoubleQuotes:
                _pos += 2;
                ReadAnsiCQuoted(value);
                return;
            case '"' when !inDoubleQuotes:
                _pos += 2;
                ReadDoubleQuoted(value, hereDocument: false);
                return;
        }

        if (char.IsAsciiLetter(next) || next == '_')
        {
            var end = _pos + 1;
            while (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] == '_'))
            {
                end++;
            }

            value.Append(Lookup(_text[(_pos + 1)..end]));
            _pos = end;
            return;
        }

        if (char.IsAsciiDigit(next) || next is '@' or '*' or '#' or '?' or '$' or '!' or '-')
        {
            value.Append(ShellWord.Unknown);
            _pos += 2;
            return;
        }

        value.Append('$');
        _pos++;
    }

    private string Lookup(string name)
    {
        if (_state.Variables.TryGetValue(name, out var known))
        {
            return known;
        }

        return name == "HOME" ? ShellWord.Home.ToString() : ShellWord.Unknown.ToString();
    }

    /// <summary>Parses the commands of "$( ... )" or "&lt;( ... )"; <see cref="_pos"/> is after the "(".</summary>
    private void ReadCommandSubstitution()
    {
        if (Level + 1 > MaxDepth)
        {
            _state.TooDeep = true;
            SkipBalanced('(', ')');
            return;
        }

        _nesting++;
        ParseList(untilParen: true);
        _nesting--;
    }

    /// <summary>Reads "${...}" (<see cref="_pos"/> after the "{"): a plain name resolves, anything fancier is unknown.</summary>
    private void ReadParameterExpansion(StringBuilder value)
    {
        var end = _pos;
        while (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] == '_'))
        {
            end++;
        }

        if (end > _pos && end < _text.Length && _text[end] == '}')
        {
            value.Append(Lookup(_text[_pos..end]));
            _pos = end + 1;
            return;
        }

        value.Append(ShellWord.Unknown);
        if (Level + 1 > MaxDepth)
        {
            _state.TooDeep = true;
            SkipBalanced('{', '}');
            return;
        }

        // Defaults such as ${X:-$(cmd)} still run their substitutions, so read them.
        _nesting++;
        var open = _pos - 2;
        var ignored = new StringBuilder();
        var closed = false;
        while (!AtEnd && !closed)
        {
            switch (_text[_pos])
            {
                case '}':
                    _pos++;
                    closed = true;
                    break;
                case '\\':
                    _pos = Math.Min(_pos + 2, _text.Length);
                    break;
                case '\'':
                    ReadSingleQuoted(ignored);
                    break;
                case '"':
                    _pos++;
                    ReadDoubleQuoted(ignored, hereDocument: false);
                    break;
                case '$':
                    ReadDollar(ignored, inDoubleQuotes: true);
                    break;
                case '`':
                    ReadBackticks(ignored);
                    break;
                default:
                    _pos++;
                    break;
            }
        }

        _nesting--;
        if (!closed)
        {
            MarkIncomplete(open);
        }
    }

    /// <summary>Reads `...`; the text inside is parsed again, as bash does, after its own backslash escapes.</summary>
    private void ReadBackticks(StringBuilder value)
    {
        var open = _pos++;
        var inner = new StringBuilder();
        var closed = false;
        while (!AtEnd)
        {
            var c = _text[_pos];
            if (c == '\\' && At(1) is '$' or '`' or '\\')
            {
                inner.Append(At(1));
                _pos += 2;
                continue;
            }

            if (c == '`')
            {
                _pos++;
                closed = true;
                break;
            }

            inner.Append(c);
            _pos++;
        }

        if (!closed)
        {
            MarkIncomplete(open);
        }

        ParseNested(inner.ToString(), null);
        value.Append(ShellWord.Unknown);
    }
}
