using System.Text;
using System.Text.RegularExpressions;

namespace NodeOps.Safety.Shell;

/// <summary>
/// A small, forgiving parser for the bash that operators type into a command box. It runs and expands nothing; it
/// flattens a command line into the simple commands bash would start, including those inside "$( )", backticks,
/// process substitutions, "bash -c" strings and wrappers such as sudo, because the guard and the classifier judge
/// commands one at a time. Malformed input never throws: it is read as far as bash would read it and flagged.
/// </summary>
internal sealed partial class ShellParser
{
    /// <summary>
    /// How deep strings may nest inside commands ("bash -c \"$(sudo sh -c '...')\"" is three). Nobody needs more;
    /// deeper input is flagged rather than followed, so hostile input cannot exhaust the stack.
    /// </summary>
    public const int MaxDepth = 8;

    private readonly string _text;
    private readonly ParseState _state;
    private readonly int _depth;
    private readonly string? _via;
    private readonly List<PendingHereDocument> _hereDocuments = [];
    private int _pos;
    private int _nesting;

    private ShellParser(string text, ParseState state, int depth, string? via)
    {
        _text = text;
        _state = state;
        _depth = depth;
        _via = via;
    }

    private int Level => _depth + _nesting;

    private bool AtEnd => _pos >= _text.Length;

    public static ShellScript Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // The markers must only ever come from the parser itself, never from the input.
        var clean = text.Replace(ShellWord.Unknown, '?').Replace(ShellWord.Home, '?').Replace('\0', ' ');
        var state = new ParseState(text);
        new ShellParser(clean, state, 0, null).ParseList(untilParen: false);
        return state.ToScript();
    }

    /// <summary>Parses a string that a command hands to a shell: "bash -c", eval, backticks, a here-document fed to sh.</summary>
    private void ParseNested(string text, string? via)
    {
        if (Level + 1 > MaxDepth)
        {
            _state.TooDeep = true;
            return;
        }

        new ShellParser(text, _state, Level + 1, via ?? _via).ParseList(untilParen: false);
    }

    private char At(int offset) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private void MarkIncomplete(int openedAt)
    {
        _state.Incomplete = true;
        if (openedAt >= 0 && _state.UnterminatedText is null)
        {
            _state.UnterminatedText = _text[Math.Min(openedAt + 1, _text.Length)..];
        }
    }

    /// <summary>Reads commands up to the end of input, or up to the ")" that closes a "$(" when <paramref name="untilParen"/>.</summary>
    private void ParseList(bool untilParen)
    {
        var frame = new ParseFrame();
        var command = new CommandBuilder();
        while (true)
        {
            SkipBlanks();
            if (AtEnd)
            {
                Finish(frame, command, Terminator.Sequence);
                if (untilParen)
                {
                    MarkIncomplete(-1);
                }

                CloseOpenGroups(frame);
                return;
            }

            var c = _text[_pos];
            if (c == '#')
            {
                SkipComment();
                continue;
            }

            if (frame.InDoubleBrackets && SkipDoubleBracketOperator())
            {
                continue;
            }

            if (c != '\n' && command.IsEmpty && frame.Cases.TryPeek(out var clause) && clause.ExpectPattern)
            {
                ReadCasePattern(frame, clause);
                continue;
            }

            switch (c)
            {
                case '\n':
                    _pos++;
                    ReadHereDocumentBodies();
                    Finish(frame, command, Terminator.Sequence);
                    continue;
                case ';':
                    var length = At(1) == ';' ? (At(2) == '&' ? 3 : 2) : (At(1) == '&' ? 2 : 1);
                    _pos += length;
                    Finish(frame, command, Terminator.Sequence);
                    if (length > 1 && frame.Cases.TryPeek(out var item))
                    {
                        item.ExpectPattern = true;
                    }

                    continue;
                case '&' when At(1) != '>':
                    var background = At(1) != '&';
                    _pos += background ? 1 : 2;
                    Finish(frame, command, background ? Terminator.Background : Terminator.Sequence);
                    continue;
                case '|':
                    var pipe = At(1) != '|';
                    _pos += pipe && At(1) != '&' ? 1 : 2;
                    Finish(frame, command, pipe ? Terminator.Pipe : Terminator.Sequence);
                    continue;
                case '(':
                    OpenParenthesis(frame, command);
                    continue;
                case ')':
                    _pos++;
                    Finish(frame, command, Terminator.Sequence);
                    if (frame.Groups.TryPeek(out var group) && group.Closer == ')')
                    {
                        CloseGroup(frame);
                        continue;
                    }

                    if (untilParen)
                    {
                        CloseOpenGroups(frame);
                        return;
                    }

                    // A stray ")" is a syntax error: bash would run nothing.
                    _state.Incomplete = true;
                    continue;
            }

            if (TryReadRedirection(command))
            {
                continue;
            }

            var start = _pos;
            var (raw, word) = ReadWord();
            if (_pos == start)
            {
                _pos++;
                continue;
            }

            AcceptWord(frame, command, raw, word, start);
        }
    }

    private void SkipBlanks()
    {
        while (!AtEnd)
        {
            var c = _text[_pos];
            if (c is ' ' or '\t' or '\r')
            {
                _pos++;
            }
            else if (c == '\\' && At(1) == '\n')
            {
                _pos += 2;
            }
            else
            {
                return;
            }
        }
    }

    private void SkipComment()
    {
        while (!AtEnd && _text[_pos] != '\n')
        {
            _pos++;
        }
    }

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

        frame.Groups.Push(OpenGroupAt(')', frame, _pos - 1));
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

    private OpenGroup OpenGroupAt(char closer, ParseFrame frame, int start)
    {
        var name = frame.PendingFunctionName;
        var group = new OpenGroup(closer, name, _state.Commands.Count, name is null ? start : frame.PendingFunctionStart);
        frame.PendingFunctionName = null;
        return group;
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
        _state.Functions.Add(new FunctionDefinition(group.FunctionName, body, _text[group.SourceStart..end].Trim()));
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

    private void AcceptWord(ParseFrame frame, CommandBuilder command, string raw, ShellWord word, int start)
    {
        if (frame.SkipHeader)
        {
            return;
        }

        if (frame.InDoubleBrackets)
        {
            frame.InDoubleBrackets = raw != "]]";
            return;
        }

        if (frame.ExpectFunctionName)
        {
            frame.ExpectFunctionName = false;
            frame.PendingFunctionName = word.Value;
            frame.PendingFunctionStart = start;
            SkipBlanks();
            if (At(0) == '(')
            {
                _pos++;
                if (NextNonBlank() == ')')
                {
                    _pos = _text.IndexOf(')', _pos) + 1;
                }
            }

            return;
        }

        if (frame.Cases.TryPeek(out var clause) && clause.Stage < 2)
        {
            clause.Stage++;
            clause.ExpectPattern = clause.Stage == 2;
            return;
        }

        var commandPosition = command.Words.Count == 0 && command.Assignments.Count == 0;
        if (commandPosition && command.Redirections.Count == 0 && AcceptKeyword(frame, raw, start))
        {
            return;
        }

        if (command.Words.Count == 0 && AssignmentPattern().IsMatch(raw))
        {
            var equals = word.Value.IndexOf('=', StringComparison.Ordinal);
            var name = word.Value[..equals].TrimEnd('+');
            command.Assignments.Add(new(name, word.Value[(equals + 1)..]));
            command.Cover(start, _pos);
            if (raw.EndsWith('=') && At(0) == '(')
            {
                SkipArrayLiteral();
            }

            return;
        }

        if (frame.AfterTime && commandPosition && word.StartsWithOption)
        {
            return;
        }

        command.Words.Add(word);
        command.Cover(start, _pos);
    }

    private bool AcceptKeyword(ParseFrame frame, string raw, int start)
    {
        switch (raw)
        {
            case "{":
                frame.Groups.Push(OpenGroupAt('}', frame, start));
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

    private void Finish(ParseFrame frame, CommandBuilder command, Terminator terminator)
    {
        frame.AfterTime = false;
        if (terminator != Terminator.Pipe)
        {
            frame.SkipHeader = false;
        }

        if (command.Words.Count == 0 && command.Redirections.Count == 0)
        {
            foreach (var (name, value) in command.Assignments)
            {
                _state.Variables[name] = value;
            }

            frame.PipeFrom = terminator == Terminator.Pipe && _state.Commands.Count > 0 ? _state.Commands[^1] : null;
            command.Reset();
            return;
        }

        var simple = new SimpleCommand
        {
            Words = command.Words.ToArray(),
            Redirections = command.Redirections.ToArray(),
            Source = _text[command.Start..command.End].Trim(),
            Via = _via,
            PipesOut = terminator == Terminator.Pipe,
            Background = terminator == Terminator.Background,
            StdinFrom = frame.PipeFrom,
        };
        RememberDeclarations(simple);
        var emitted = Emit(simple);
        frame.PipeFrom = terminator == Terminator.Pipe ? emitted : null;
        command.Reset();
    }

    /// <summary>"export D=/" and friends assign like a bare "D=/".</summary>
    private void RememberDeclarations(SimpleCommand command)
    {
        if (command.Name is not ("export" or "local" or "declare" or "typeset" or "readonly"))
        {
            return;
        }

        foreach (var word in command.Arguments)
        {
            var match = DeclarationPattern().Match(word.Value);
            if (match.Success)
            {
                _state.Variables[match.Groups[1].Value] = word.Value[match.Length..];
            }
        }
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=")]
    private static partial Regex AssignmentPattern();

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex DeclarationPattern();
}
