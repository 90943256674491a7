using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NodeOps.Json;

/// <summary>
/// Enums as snake_case names (what <see cref="JsonStringEnumConverter"/> writes), where a value outside the enum
/// is refused with the allowed names: `role: "root"` says "允许的值: viewer, user, admin", not "type mismatch".
/// </summary>
public sealed class NamedEnumConverter : JsonConverterFactory
{
    private readonly JsonStringEnumConverter _names = new(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false);

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert), _names.CreateConverter(typeToConvert, options))!;

    private sealed class Converter<T>(JsonConverter inner) : JsonConverter<T>
        where T : struct, Enum
    {
        private static readonly ConcurrentDictionary<Type, string> AllowedByType = new();
        private readonly JsonConverter<T> _inner = (JsonConverter<T>)inner;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var given = JsonInputText.Describe(ref reader);
            try
            {
                return _inner.Read(ref reader, typeToConvert, options);
            }
            catch (JsonException)
            {
                throw new JsonInputException($"的值 {given} 无效，允许的值: {Allowed(options)}");
            }
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => _inner.Write(writer, value, options);

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            _inner.ReadAsPropertyName(ref reader, typeToConvert, options);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            _inner.WriteAsPropertyName(writer, value, options);

        private string Allowed(JsonSerializerOptions options) => AllowedByType.GetOrAdd(typeof(T), _ =>
            string.Join(", ", Enum.GetValues<T>().Select(v => JsonSerializer.Serialize(v, options).Trim('"')).Distinct(StringComparer.Ordinal)));
    }
}
