using System.Text;

namespace NodeOps.Safety.Shell;

/// <summary>Recording finished commands, and the commands their wrappers and here-documents run.</summary>
internal sealed partial class ShellParser
{
    /// <summary>"sudo nice timeout 5 env X=1 cmd" is four wrappers; past this many the input is hostile, not busy.</summary>
    private const int MaxWrapperChain = 16;

    /// <summary>Records a command, then the commands it runs; returns the recorded outer command.</summary>
    private SimpleCommand Emit(SimpleCommand command)
    {
        SimpleCommand? outer = null;
        var pending = new Queue<(SimpleCommand Command, int Chain)>();
        pending.Enqueue((command, 0));
        while (pending.TryDequeue(out var item))
        {
            var unwrapped = CommandWrappers.Unwrap(item.Command);
            var recorded = item.Command with { Wrapper = unwrapped.Kind };
            _state.Commands.Add(recorded);
            outer ??= recorded;
            if (unwrapped.Parts.Count == 0)
            {
                continue;
            }

            if (item.Chain >= MaxWrapperChain)
            {
                _state.TooDeep = true;
                continue;
            }

            foreach (var part in unwrapped.Parts)
            {
                if (part.Words is { } words)
                {
                    var runtime = part.RuntimeArguments ?? recorded.RuntimeArguments;
                    pending.Enqueue((recorded with { Words = words, Via = unwrapped.Name, Wrapper = WrapperKind.None, RuntimeArguments = runtime }, item.Chain + 1));
                }
                else if (part.ShellText is { } text)
                {
                    ParseNested(text, unwrapped.Name, recorded.Source);
                }
                else if (part.PythonSource is { } python)
                {
                    if (python.TrimStart().StartsWith(ShellWord.Unknown))
                    {
                        _state.GeneratedCode.Add(recorded.Source);
                    }

                    _state.PythonSources.Add(python);
                }
            }
        }

        return outer!;
    }

    /// <summary>Reads the bodies of here-documents opened on the line that just ended.</summary>
    private void ReadHereDocumentBodies()
    {
        foreach (var pending in _hereDocuments)
        {
            var body = new StringBuilder();
            while (!AtEnd)
            {
                var lineEnd = _text.IndexOf('\n', _pos);
                if (lineEnd < 0)
                {
                    lineEnd = _text.Length;
                }

                var line = _text.AsSpan(_pos, lineEnd - _pos);
                _pos = Math.Min(lineEnd + 1, _text.Length);
                var candidate = pending.StripTabs ? line.TrimStart('\t') : line;
                if (candidate.TrimEnd('\r').SequenceEqual(pending.Delimiter))
                {
                    break;
                }

                body.Append(line).Append('\n');
            }

            pending.Document.Body = body.ToString();
            if (pending.Expands)
            {
                // An unquoted delimiter lets "$( )" and backticks in the body run.
                new ShellParser(pending.Document.Body, _state, Level, _via).ReadDoubleQuoted(new StringBuilder(), hereDocument: true);
            }
        }

        _hereDocuments.Clear();
    }
}
