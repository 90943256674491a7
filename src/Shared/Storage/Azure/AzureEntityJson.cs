using System.Globalization;
using System.Text.Json;

namespace NodeOps.Storage.Azure;

/// <summary>
/// Entities in the Table service's JSON format. Every non-string value carries its "@odata.type" so it comes back
/// with the type it was written with, as in the SQLite adapter: ints are stored as Edm.Int64 (the SQLite adapter
/// reads every integer back as long), and whole doubles stay doubles instead of being inferred as Int32.
/// </summary>
internal static class AzureEntityJson
{
    public const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private const string TypeSuffix = "@odata.type";

    private static readonly HashSet<string> SystemProperties = new(StringComparer.Ordinal) { "PartitionKey", "RowKey", "Timestamp" };

    public static byte[] Serialize(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        TableNames.EnsureValidKey(entity.PartitionKey, "PartitionKey");
        TableNames.EnsureValidKey(entity.RowKey, "RowKey");
        entity.EnsureSupportedValues();
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("PartitionKey", entity.PartitionKey);
            writer.WriteString("RowKey", entity.RowKey);
            foreach (var (name, value) in entity.Properties)
            {
                if (SystemProperties.Contains(name))
                {
                    throw new ArgumentException($"Property name '{name}' is reserved by the table service.", nameof(entity));
                }

                // The SQLite adapter does not store nulls either; an absent property reads back as null.
                if (value is not null)
                {
                    WriteProperty(writer, name, value);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static TableEntity Deserialize(JsonElement element, string? etag = null)
    {
        var entity = new TableEntity(
            element.GetProperty("PartitionKey").GetString() ?? "",
            element.GetProperty("RowKey").GetString() ?? "")
        {
            ETag = etag ?? (element.TryGetProperty("odata.etag", out var e) ? e.GetString() : null),
        };

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.EndsWith(TypeSuffix, StringComparison.Ordinal) && property.Value.ValueKind == JsonValueKind.String)
            {
                types[property.Name[..^TypeSuffix.Length]] = property.Value.GetString()!;
            }
        }

        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            if (name.Contains('@', StringComparison.Ordinal) || name.StartsWith("odata.", StringComparison.Ordinal) || name is "PartitionKey" or "RowKey")
            {
                continue;
            }

            if (name == "Timestamp")
            {
                entity.Timestamp = property.Value.ValueKind == JsonValueKind.String ? ParseDate(property.Value.GetString()!) : null;
                continue;
            }

            entity.Properties[name] = ReadValue(property.Value, types.GetValueOrDefault(name));
        }

        return entity;
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case string s:
                writer.WriteString(name, s);
                break;
            case long or int:
                writer.WriteString(name, Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                writer.WriteString(name + TypeSuffix, "Edm.Int64");
                break;
            case double d:
                // JSON has no NaN or infinities; the service takes them as strings of an Edm.Double property.
                if (double.IsFinite(d))
                {
                    writer.WriteNumber(name, d);
                }
                else
                {
                    writer.WriteString(name, d.ToString(CultureInfo.InvariantCulture));
                }

                writer.WriteString(name + TypeSuffix, "Edm.Double");
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case DateTimeOffset t:
                writer.WriteString(name, t.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture));
                writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                break;
            case Guid g:
                writer.WriteString(name, g.ToString("D"));
                writer.WriteString(name + TypeSuffix, "Edm.Guid");
                break;
            case byte[] x:
                writer.WriteBase64String(name, x);
                writer.WriteString(name + TypeSuffix, "Edm.Binary");
                break;
            default:
                throw new ArgumentException($"Property '{name}' has unsupported type {value.GetType().Name}.", nameof(value));
        }
    }

    private static object? ReadValue(JsonElement value, string? type) => type switch
    {
        _ when value.ValueKind == JsonValueKind.Null => null,
        "Edm.String" => value.GetString(),
        "Edm.Int64" or "Edm.Int32" => value.ValueKind == JsonValueKind.String
            ? long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : value.GetInt64(),
        "Edm.Double" => value.ValueKind == JsonValueKind.String
            ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
            : value.GetDouble(),
        "Edm.Boolean" => value.ValueKind == JsonValueKind.String ? bool.Parse(value.GetString()!) : value.GetBoolean(),
        "Edm.DateTime" => ParseDate(value.GetString()!),
        "Edm.Guid" => Guid.Parse(value.GetString()!),
        "Edm.Binary" => value.GetBytesFromBase64(),
        null => Inferred(value),
        _ => throw new InvalidDataException($"The table service returned an unsupported property type '{type}'."),
    };

    // Without an annotation the service's rules apply: strings, booleans, Int32 for whole numbers, Double otherwise.
    private static object? Inferred(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.GetRawText().AsSpan().IndexOfAny(".eE") < 0 && value.TryGetInt64(out var l) => l,
        JsonValueKind.Number => value.GetDouble(),
        _ => throw new InvalidDataException($"The table service returned an unsupported JSON value of kind {value.ValueKind}."),
    };

    private static DateTimeOffset ParseDate(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
