using System.Text;

namespace NodeOps.Safety.Shell;

/// <summary>Compound commands: groups, functions, case, arithmetic and [[ ]], which change how words are read.</summary>
internal sealed partial class ShellParser
{
    private const int MaxGroupDepth = 64;

    /// <summary>A function's text is kept for messages only.</summary>
    private const int MaxFunctionSource = 1000;

    private bool SkipDoubleBracketOperator()
    {
        var c = At(0);
        if (c is '<' or '>' or '(' or ')' or '!')
        {
            _pos++;
            return true;
        }

        if ((c == '&' && At(1) == '&') || (c == '|' && At(1) == '|'))
        {
            _pos += 2;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Whether the "((" at <paramref name="at"/> opens arithmetic. Bash decides by how it closes: "((echo hi))" is
    /// arithmetic (and runs nothing), "((echo hi) )" is two nested subshells that run echo.
    /// </summary>
    private bool OpensArithmetic(int at)
    {
        var depth = 0;
        for (var p = at + 2; p < _text.Length; p++)
        {
            if (_text[p] == '(')
            {
                depth++;
            }
            else if (_text[p] == ')' && depth-- == 0)
            {
                return p + 1 < _text.Length && _text[p + 1] == ')';
            }
        }

        return true;
    }

    /// <summary>
    /// Skips "((...))" arithmetic (<see cref="_pos"/> on the first "("), which runs nothing itself, but parses the
    /// command substitutions inside it, which do run: "echo $(( $(rm -rf /) ))".
    /// </summary>
    private void SkipArithmetic()
    {
        var depth = 0;
        while (!AtEnd)
        {
            var c = _text[_pos];
            if (c == '$' && At(1) == '(' && At(2) != '(')
            {
                _pos += 2;
                ReadCommandSubstitution();
                continue;
            }

            if (c == '`')
            {
                ReadBackticks(new StringBuilder());
                continue;
            }

            _pos++;
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                return;
            }
        }

        MarkIncomplete(-1);
    }

    /// <summary>Skips to the bracket closing one already consumed, without parsing what is inside.</summary>
    private void SkipBalanced(char open, char close)
    {
        var depth = 1;
        while (!AtEnd)
        {
            var c = _text[_pos++];
            if (c == '\\')
            {
                _pos++;
            }
            else if (c is '\'' or '"')
            {
                var end = _text.IndexOf(c, _pos);
                _pos = end < 0 ? _text.Length : end + 1;
            }
            else if (c == open)
            {
                depth++;
            }
            else if (c == close && --depth == 0)
            {
                return;
            }
        }

        _pos = _text.Length;
        MarkIncomplete(-1);
    }

    private void OpenParenthesis(ParseFrame frame, CommandBuilder command)
    {
        if (At(1) == '(' && command.Words.Count == 0 && OpensArithmetic(_pos))
        {
            SkipArithmetic();
            return;
        }

        _pos++;
        if (command.Words.Count == 1 && command.Redirections.Count == 0 && command.Assignments.Count == 0 && NextNonBlank() == ')')
        {
            // "name() body": a function definition, not a subshell.
            _pos = _text.IndexOf(')', _pos) + 1;
            frame.PendingFunctionName = command.Words[0].Value;
            frame.PendingFunctionStart = command.Start;
            command.Reset();
            return;
        }

        if (!command.IsEmpty)
        {
            Finish(frame, command, Terminator.Sequence);
        }

        PushGroup(frame, ')', _pos - 1);
    }

    private char NextNonBlank()
    {
        var p = _pos;
        while (p < _text.Length && _text[p] is ' ' or '\t')
        {
            p++;
        }

        return p < _text.Length ? _text[p] : '\0';
    }

    /// <summary>
    /// Opens a group. Hundreds of nested groups are never written by hand; past <see cref="MaxGroupDepth"/> the input
    /// is flagged instead, which also bounds the work of recording nested function bodies.
    /// </summary>
    private void PushGroup(ParseFrame frame, char closer, int start)
    {
        var name = frame.PendingFunctionName;
        frame.PendingFunctionName = null;
        if (frame.Groups.Count >= MaxGroupDepth)
        {
            _state.TooDeep = true;
            return;
        }

        frame.Groups.Push(new OpenGroup(closer, name, _state.Commands.Count, name is null ? start : frame.PendingFunctionStart));
    }

    private void CloseGroup(ParseFrame frame)
    {
        var group = frame.Groups.Pop();
        if (group.FunctionName is null)
        {
            return;
        }

        var body = _state.Commands.GetRange(group.FirstCommand, _state.Commands.Count - group.FirstCommand);
        var end = Math.Clamp(_pos, group.SourceStart, _text.Length);
        var source = _text.AsSpan(group.SourceStart, Math.Min(end - group.SourceStart, MaxFunctionSource)).Trim().ToString();
        _state.Functions.Add(new FunctionDefinition(group.FunctionName, body, source));
    }

    private void CloseOpenGroups(ParseFrame frame)
    {
        if (frame.Groups.Count > 0)
        {
            MarkIncomplete(-1);
        }

        while (frame.Groups.Count > 0)
        {
            CloseGroup(frame);
        }
    }

    private bool AcceptKeyword(ParseFrame frame, string raw, int start)
    {
        switch (raw)
        {
            case "{":
                PushGroup(frame, '}', start);
                return true;
            case "}":
                if (frame.Groups.TryPeek(out var group) && group.Closer == '}')
                {
                    CloseGroup(frame);
                }

                return true;
            case "!" or "then" or "else" or "do" or "if" or "elif" or "while" or "until" or "coproc" or "fi" or "done":
                return true;
            case "time":
                frame.AfterTime = true;
                return true;
            case "esac":
                frame.Cases.TryPop(out _);
                return true;
            case "for" or "select":
                frame.SkipHeader = true;
                return true;
            case "case":
                frame.Cases.Push(new CaseClause());
                return true;
            case "function":
                frame.ExpectFunctionName = true;
                return true;
            case "[[":
                frame.InDoubleBrackets = true;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Reads "pattern|pattern)" of a case item, or the "esac" that ends the case.</summary>
    private void ReadCasePattern(ParseFrame frame, CaseClause clause)
    {
        if (_text.AsSpan(_pos).StartsWith("esac", StringComparison.Ordinal) && (_pos + 4 >= _text.Length || IsWordBreak(_text[_pos + 4])))
        {
            _pos += 4;
            frame.Cases.Pop();
            return;
        }

        clause.ExpectPattern = false;
        if (At(0) == '(')
        {
            _pos++;
        }

        while (!AtEnd)
        {
            SkipBlanks();
            var c = At(0);
            if (c == ')')
            {
                _pos++;
                return;
            }

            if (c is '\n' or '\0' or ';')
            {
                return;
            }

            var before = _pos;
            ReadWord();
            if (_pos == before)
            {
                _pos++;
            }
        }
    }

    /// <summary>Skips "NAME=( a b c )": array elements are data, but substitutions inside them still run.</summary>
    private void SkipArrayLiteral()
    {
        var open = _pos++;
        while (true)
        {
            SkipBlanks();
            if (AtEnd)
            {
                MarkIncomplete(open);
                return;
            }

            var c = _text[_pos];
            if (c == ')')
            {
                _pos++;
                return;
            }

            if (c == '\n' || IsWordBreak(c))
            {
                _pos++;
                continue;
            }

            ReadWord();
        }
    }
}
