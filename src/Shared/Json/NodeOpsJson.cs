using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NodeOps.Json;

/// <summary>
/// The one JSON dialect of the wire and of stored documents: snake_case, enums as snake_case strings, timestamps in
/// UTC with "Z" and at most milliseconds. Every serializer options NodeOps uses (HTTP, SSE, WebSocket,
/// storage) are built here, so a converter registered here applies everywhere.
/// </summary>
public static class NodeOpsJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.PropertyNameCaseInsensitive = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        // The spec's messages are Chinese; keep them readable on the wire instead of \uXXXX escapes.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.AllowTrailingCommas = false;
        options.ReadCommentHandling = JsonCommentHandling.Disallow;
        options.MaxDepth = 64;
        if (!options.Converters.OfType<NamedEnumConverter>().Any())
        {
            options.Converters.Add(new NamedEnumConverter());
            options.Converters.Add(new UtcTimestampConverter());
            options.Converters.Add(new RangeCheckedIntegerConverter());
        }

        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("The document is null.");
}
