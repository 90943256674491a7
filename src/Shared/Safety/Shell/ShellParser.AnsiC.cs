using System.Globalization;
using System.Text;

namespace NodeOps.Safety.Shell;

/// <summary>Decoding $'...' strings, whose escapes can spell any command name.</summary>
internal sealed partial class ShellParser
{
    /// <summary>Reads $'...' (<see cref="_pos"/> after the quote), decoding escapes such as \x72 that could spell a command name.</summary>
    private void ReadAnsiCQuoted(StringBuilder value)
    {
        var open = _pos - 1;
        while (!AtEnd)
        {
            var c = _text[_pos];
            if (c == '\'')
            {
                _pos++;
                return;
            }

            if (c != '\\')
            {
                value.Append(c);
                _pos++;
                continue;
            }

            var escape = At(1);
            _pos = Math.Min(_pos + 2, _text.Length);
            switch (escape)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case 'a': value.Append('\a'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'v': value.Append('\v'); break;
                case 'e' or 'E': value.Append('\u001b'); break;
                case 'x': AppendCodePoint(value, ReadDigits(2, 16)); break;
                case 'u': AppendCodePoint(value, ReadDigits(4, 16)); break;
                case 'U': AppendCodePoint(value, ReadDigits(8, 16)); break;
                case >= '0' and <= '7':
                    _pos--;
                    AppendCodePoint(value, ReadDigits(3, 8));
                    break;
                case 'c':
                    value.Append((char)(At(0) & 0x1f));
                    _pos = Math.Min(_pos + 1, _text.Length);
                    break;
                case '\\' or '\'' or '"' or '?': value.Append(escape); break;
                case '\0': value.Append('\\'); break;
                default: value.Append('\\').Append(escape); break;
            }
        }

        MarkIncomplete(open);
    }

    private int ReadDigits(int maxDigits, int radix)
    {
        var result = 0;
        for (var i = 0; i < maxDigits && !AtEnd; i++)
        {
            var digit = radix == 8 ? (_text[_pos] is >= '0' and <= '7' ? _text[_pos] - '0' : -1) : HexValue(_text[_pos]);
            if (digit < 0)
            {
                break;
            }

            result = (result * radix) + digit;
            _pos++;
        }

        return result;
    }

    private static int HexValue(char c) =>
        char.IsAsciiHexDigit(c) ? int.Parse(c.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) : -1;

    private static void AppendCodePoint(StringBuilder value, int codePoint)
    {
        if (codePoint is > 0 and <= 0x10FFFF && codePoint is < 0xD800 or > 0xDFFF)
        {
            value.Append(char.ConvertFromUtf32(codePoint));
        }
    }
}
