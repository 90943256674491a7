namespace NodeOps.Storage;

/// <summary>
/// One row of a table: addressed by partition key and row key, versioned by an opaque ETag.
/// Property values are limited to the types both adapters round-trip:
/// string, long, int, double, bool, DateTimeOffset, Guid and byte[].
/// </summary>
public sealed class TableEntity
{
    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; }

    public string RowKey { get; }

    /// <summary>Set by the store on read and write; null for an entity never stored.</summary>
    public string? ETag { get; set; }

    public DateTimeOffset? Timestamp { get; set; }

    public Dictionary<string, object?> Properties { get; } = new(StringComparer.Ordinal);

    public object? this[string name]
    {
        get => Properties.GetValueOrDefault(name);
        set => Properties[name] = value is int i ? (long)i : value;
    }

    public string? GetString(string name) => Properties.GetValueOrDefault(name) as string;

    public long? GetInt64(string name) => Properties.GetValueOrDefault(name) switch
    {
        long l => l,
        int i => i,
        double d => (long)d,
        _ => null,
    };

    public double? GetDouble(string name) => Properties.GetValueOrDefault(name) switch
    {
        double d => d,
        long l => l,
        int i => i,
        _ => null,
    };

    public bool? GetBool(string name) => Properties.GetValueOrDefault(name) as bool?;

    public DateTimeOffset? GetDateTimeOffset(string name) => Properties.GetValueOrDefault(name) as DateTimeOffset?;

    public byte[]? GetBinary(string name) => Properties.GetValueOrDefault(name) as byte[];

    public Guid? GetGuid(string name) => Properties.GetValueOrDefault(name) as Guid?;

    /// <summary>Checks that every property holds a supported type, before an adapter tries to write it.</summary>
    internal void EnsureSupportedValues()
    {
        foreach (var (name, value) in Properties)
        {
            switch (value)
            {
                case null or string or long or int or double or bool or DateTimeOffset or Guid or byte[]:
                    break;
                default:
                    throw new ArgumentException($"Property '{name}' has unsupported type {value.GetType().Name}.");
            }
        }
    }
}
