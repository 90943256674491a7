using System.Globalization;
using SdkEntity = Azure.Data.Tables.TableEntity;

namespace NodeOps.Storage.Azure;

/// <summary>
/// Maps the port's entities to the SDK's and back. Values keep the type they were written with, as in the SQLite
/// adapter: ints are written as Int64 (the port reads every integer back as long) and nulls are not stored.
/// </summary>
internal static class AzureTableEntities
{
    private const string ETagProperty = "odata.etag";

    private static readonly HashSet<string> SystemProperties = new(StringComparer.Ordinal) { "PartitionKey", "RowKey", "Timestamp", ETagProperty };

    public static SdkEntity ToSdk(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        TableNames.EnsureValidKey(entity.PartitionKey, "PartitionKey");
        TableNames.EnsureValidKey(entity.RowKey, "RowKey");
        entity.EnsureSupportedValues();
        var sdk = new SdkEntity(entity.PartitionKey, entity.RowKey);
        foreach (var (name, value) in entity.Properties)
        {
            if (SystemProperties.Contains(name))
            {
                throw new ArgumentException($"Property name '{name}' is reserved by the table service.", nameof(entity));
            }

            if (value is not null)
            {
                sdk[name] = value is int i ? (long)i : value;
            }
        }

        return sdk;
    }

    public static TableEntity FromSdk(SdkEntity sdk)
    {
        ArgumentNullException.ThrowIfNull(sdk);
        var entity = new TableEntity(sdk.PartitionKey, sdk.RowKey)
        {
            ETag = sdk.ETag.ToString(),
            Timestamp = sdk.Timestamp,
        };

        foreach (var (name, value) in sdk)
        {
            if (!SystemProperties.Contains(name))
            {
                entity.Properties[name] = FromSdkValue(name, value);
            }
        }

        return entity;
    }

    /// <summary>The service's ETags embed the write's timestamp: W/"datetime'2024-01-02T03%3A04%3A05.1234567Z'".</summary>
    public static DateTimeOffset? TimestampOf(string etag)
    {
        ArgumentNullException.ThrowIfNull(etag);
        const string marker = "datetime'";
        var start = etag.IndexOf(marker, StringComparison.Ordinal);
        var end = start < 0 ? -1 : etag.IndexOf('\'', start + marker.Length);
        return end > start && DateTimeOffset.TryParse(
            Uri.UnescapeDataString(etag[(start + marker.Length)..end]),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var timestamp)
            ? timestamp
            : null;
    }

    /// <summary>Records a write's ETag (and the timestamp inside it) on the caller's entity, as the SQLite adapter does.</summary>
    public static string Written(TableEntity entity, string etag)
    {
        entity.ETag = etag;
        entity.Timestamp = TimestampOf(etag) ?? entity.Timestamp;
        return etag;
    }

    private static object? FromSdkValue(string name, object? value) => value switch
    {
        null or string or long or double or bool or Guid or byte[] => value,
        int i => (long)i,
        DateTimeOffset t => t.ToUniversalTime(),
        DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        BinaryData b => b.ToArray(),
        _ => throw new InvalidDataException($"The table service returned property '{name}' of unsupported type {value.GetType().Name}."),
    };
}
