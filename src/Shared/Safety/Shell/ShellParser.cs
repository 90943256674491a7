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

    /// <summary>The command that handed this text over (eval, bash -c, a pipe into sh), when the text is its argument or input.</summary>
    private readonly string? _feeder;
    private readonly List<PendingHereDocument> _hereDocuments = [];
    private int _pos;
    private int _nesting;

    private ShellParser(string text, ParseState state, int depth, string? via, string? feeder = null)
    {
        _feeder = feeder;
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
    private void ParseNested(string text, string? via, string? feeder = null)
    {
        if (Level + 1 > MaxDepth)
        {
            _state.TooDeep = true;
            return;
        }

        new ShellParser(text, _state, Level + 1, via ?? _via, feeder).ParseList(untilParen: false);
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

        // The input never holds the unknown marker (Parse removes it), so in a handed-over text it stands for what
        // the outer command only learns at run time: "eval \"$(curl ...)\"" runs a command nobody can see here.
        if (command.Words.Count == 0 && _feeder is not null && raw.Contains(ShellWord.Unknown, StringComparison.Ordinal))
        {
            _state.GeneratedCode.Add(_feeder);
        }

        command.Words.Add(word);
        command.Cover(start, _pos);
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
