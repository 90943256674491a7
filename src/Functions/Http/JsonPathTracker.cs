using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NodeOps.Functions.Http;

/// <summary>Follows a <see cref="Utf8JsonReader"/> to name where it is, in the error texts' spelling: "steps[2].timeout".</summary>
internal sealed class JsonPathTracker
{
    private readonly List<(bool IsArray, string? Name, int Index)> _frames = [];

    /// <summary>The field the reader is at (null at the top level); rendered only when an error needs it.</summary>
    public string? Current => Render();

    /// <summary>Call once per token, after the reader moved to it.</summary>
    public void Step(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                var name = SafeName(ref reader);
                _frames[^1] = (false, name, 0);
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                Advance();
                _frames.Add((reader.TokenType == JsonTokenType.StartArray, null, -1));
                break;
            case JsonTokenType.EndObject or JsonTokenType.EndArray:
                _frames.RemoveAt(_frames.Count - 1);
                break;
            default:
                Advance();
                break;
        }
    }

    private void Advance()
    {
        if (_frames.Count > 0 && _frames[^1].IsArray)
        {
            var top = _frames[^1];
            _frames[^1] = top with { Index = top.Index + 1 };
        }
    }

    private string? Render()
    {
        var text = new StringBuilder();
        foreach (var (isArray, name, index) in _frames)
        {
            if (isArray && index >= 0)
            {
                text.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else if (!isArray && name is not null)
            {
                text.Append(text.Length > 0 ? "." : "").Append(name);
            }
        }

        return text.Length == 0 ? null : text.ToString();
    }

    private static string SafeName(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return "(无效的字段名)";
        }
    }
}
