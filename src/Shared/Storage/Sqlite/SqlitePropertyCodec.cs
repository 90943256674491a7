using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NodeOps.Storage.Sqlite;

/// <summary>
/// Encodes entity properties as a JSON object of {"t": type, "v": value}, so types survive the round trip and
/// filters can compare "$.name.v" in SQL. Dates are fixed-width UTC strings, so text order is time order.
/// </summary>
internal static class SqlitePropertyCodec
{
    public const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Encode(IReadOnlyDictionary<string, object?> properties)
    {
        var root = new JsonObject();
        foreach (var (name, value) in properties)
        {
            if (value is null)
            {
                continue;
            }

            var (type, encoded) = EncodeValue(value);
            root[name] = new JsonObject { ["t"] = type, ["v"] = encoded };
        }

        return root.ToJsonString();
    }

    public static void Decode(string json, Dictionary<string, object?> into)
    {
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var type = property.Value.GetProperty("t").GetString();
            var value = property.Value.GetProperty("v");
            into[property.Name] = type switch
            {
                "s" => value.GetString(),
                "i" => value.GetInt64(),
                "d" => value.GetDouble(),
                "b" => value.GetInt64() != 0,
                "t" => DateTimeOffset.ParseExact(value.GetString()!, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                "g" => Guid.Parse(value.GetString()!),
                "x" => Convert.FromBase64String(value.GetString()!),
                _ => throw new InvalidDataException($"Unknown stored property type '{type}'."),
            };
        }
    }

    /// <summary>The value as SQLite will compare it against json_extract of a stored value.</summary>
    public static object ToSqlValue(object value) => EncodeValue(value).Encoded switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        var other => other?.ToJsonString() ?? "",
    };

    private static (string Type, JsonNode Encoded) EncodeValue(object value) => value switch
    {
        string s => ("s", JsonValue.Create(s)),
        long l => ("i", JsonValue.Create(l)),
        int i => ("i", JsonValue.Create((long)i)),
        double d => ("d", JsonValue.Create(d)),
        bool b => ("b", JsonValue.Create(b ? 1L : 0L)),
        DateTimeOffset t => ("t", JsonValue.Create(t.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture))),
        Guid g => ("g", JsonValue.Create(g.ToString("D"))),
        byte[] x => ("x", JsonValue.Create(Convert.ToBase64String(x))),
        _ => throw new ArgumentException($"Unsupported property type {value.GetType().Name}."),
    };
}
