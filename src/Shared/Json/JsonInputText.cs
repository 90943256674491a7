using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NodeOps.Json;

/// <summary>How a refused value is quoted back to the caller: short, and never failing on bad text itself.</summary>
internal static class JsonInputText
{
    private const int MaxChars = 40;

    public static string Describe(ref Utf8JsonReader reader)
    {
        var raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
        var text = Encoding.UTF8.GetString(raw);
        if (text.Length > MaxChars)
        {
            text = text[..MaxChars] + "…";
        }

        return reader.TokenType switch
        {
            JsonTokenType.String => "\"" + text + "\"",
            JsonTokenType.Number => text,
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            JsonTokenType.Null => "null",
            JsonTokenType.StartObject => "一个对象",
            JsonTokenType.StartArray => "一个数组",
            _ => reader.TokenType.ToString().ToLower(CultureInfo.InvariantCulture),
        };
    }
}
