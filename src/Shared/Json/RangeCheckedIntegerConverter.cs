using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NodeOps.Json;

/// <summary>
/// int and long as JSON numbers, where a number the type cannot hold (1e11 for an int, 1.5) is refused with the
/// type's range instead of "type mismatch". Writing is unchanged. A field's own narrower range is checked by its service.
/// </summary>
public sealed class RangeCheckedIntegerConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(int) || typeToConvert == typeof(long);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        typeToConvert == typeof(int) ? new Int32Converter() : new Int64Converter();

    private static JsonInputException OutOfRange(ref Utf8JsonReader reader, long min, long max) =>
        new(string.Create(CultureInfo.InvariantCulture, $"必须是 {min} 到 {max} 之间的整数，收到 {JsonInputText.Describe(ref reader)}"));

    private sealed class Int32Converter : JsonConverter<int>
    {
        public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : throw OutOfRange(ref reader, int.MinValue, int.MaxValue);

        public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);

        public override int ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            int.TryParse(reader.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw OutOfRange(ref reader, int.MinValue, int.MaxValue);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, int value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value.ToString(CultureInfo.InvariantCulture));
    }

    private sealed class Int64Converter : JsonConverter<long>
    {
        public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : throw OutOfRange(ref reader, long.MinValue, long.MaxValue);

        public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);

        public override long ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            long.TryParse(reader.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw OutOfRange(ref reader, long.MinValue, long.MaxValue);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, long value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value.ToString(CultureInfo.InvariantCulture));
    }
}
