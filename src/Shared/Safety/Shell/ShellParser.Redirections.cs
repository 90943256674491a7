using System.Globalization;

namespace NodeOps.Safety.Shell;

/// <summary>Reading redirections and here-document openers.</summary>
internal sealed partial class ShellParser
{
    private bool TryReadRedirection(CommandBuilder command)
    {
        var start = _pos;
        var p = _pos;
        while (p < _text.Length && char.IsAsciiDigit(_text[p]))
        {
            p++;
        }

        int? descriptor = null;
        if (p > _pos)
        {
            if (p >= _text.Length || _text[p] is not ('<' or '>'))
            {
                return false;
            }

            if (p - _pos <= 9)
            {
                descriptor = int.Parse(_text.AsSpan(_pos, p - _pos), CultureInfo.InvariantCulture);
            }
        }

        var op = RedirectionOperatorAt(p, hasDescriptor: p > _pos);
        if (op is null)
        {
            return false;
        }

        _pos = p + op.Length;
        SkipBlanks();
        if (op is "<<" or "<<-")
        {
            var (raw, delimiter) = ReadWord();
            var document = new HereDocument();
            var quoted = raw.AsSpan().IndexOfAny("'\"\\") >= 0;
            _hereDocuments.Add(new PendingHereDocument(delimiter.Value, op == "<<-", !quoted, document));
            command.Redirections.Add(new Redirection(op, descriptor, delimiter, document));
        }
        else
        {
            var target = AtEnd || IsWordBreak(_text[_pos]) ? new ShellWord(string.Empty) : ReadWord().Word;
            command.Redirections.Add(new Redirection(op, descriptor, target));
        }

        command.Cover(start, _pos);
        return true;
    }

    private string? RedirectionOperatorAt(int p, bool hasDescriptor)
    {
        if (p >= _text.Length)
        {
            return null;
        }

        var c = _text[p];
        var next = p + 1 < _text.Length ? _text[p + 1] : '\0';
        var after = p + 2 < _text.Length ? _text[p + 2] : '\0';
        return c switch
        {
            '&' when !hasDescriptor && next == '>' => after == '>' ? "&>>" : "&>",
            '<' when next == '(' => null,
            '<' when next == '<' => after switch { '<' => "<<<", '-' => "<<-", _ => "<<" },
            '<' when next == '>' => "<>",
            '<' when next == '&' => "<&",
            '<' => "<",
            '>' when next == '(' => null,
            '>' when next == '>' => ">>",
            '>' when next == '|' => ">|",
            '>' when next == '&' => ">&",
            '>' => ">",
            _ => null,
        };
    }
}
