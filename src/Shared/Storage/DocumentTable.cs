using NodeOps.Json;

namespace NodeOps.Storage;

/// <summary>
/// Stores a record as one JSON property ("doc") plus the properties named by the caller for filtering.
/// Most resources need nothing more, and the JSON keeps their mapping in one place: the record itself.
/// </summary>
public static class DocumentTable
{
    public const string DocumentProperty = "doc";

    public static TableEntity ToEntity<T>(string partitionKey, string rowKey, T document, IReadOnlyDictionary<string, object?>? index = null)
    {
        var entity = new TableEntity(partitionKey, rowKey) { [DocumentProperty] = NodeOpsJson.Serialize(document) };
        if (index is not null)
        {
            foreach (var (name, value) in index)
            {
                entity[name] = value;
            }
        }

        return entity;
    }

    public static T FromEntity<T>(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var json = entity.GetString(DocumentProperty)
            ?? throw new InvalidDataException($"Entity ({entity.PartitionKey}, {entity.RowKey}) has no document.");
        return NodeOpsJson.Deserialize<T>(json);
    }
}
