using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NodeOps.Json;

/// <summary>
/// The one wire form of a moment, for DateTimeOffset and DateTime alike: UTC with "Z" and at most millisecond
/// precision ("2025-10-29T16:00:00Z", "2025-10-29T16:00:00.123Z"), as the spec shows and as Python's
/// datetime.fromisoformat and JavaScript's Date read it. Reading accepts any ISO 8601 form, so documents stored
/// before (seven digits, "+00:00") still load.
/// </summary>
public sealed class UtcTimestampConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(DateTimeOffset) || typeToConvert == typeof(DateTime);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        typeToConvert == typeof(DateTimeOffset) ? new OffsetConverter() : new DateTimeConverter();

    /// <summary>The text of a moment on the wire.</summary>
    public static string Format(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        return utc.Millisecond == 0 && utc.Ticks % TimeSpan.TicksPerSecond < TimeSpan.TicksPerMillisecond
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>An unspecified DateTime is taken as UTC, which is what every DateTime in NodeOps holds.</summary>
    public static string Format(DateTime value) =>
        Format(value.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(value, TimeSpan.Zero) : new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero));

    private sealed class OffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(Format(value));
    }

    private sealed class DateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTime();

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) => writer.WriteStringValue(Format(value));
    }
}
