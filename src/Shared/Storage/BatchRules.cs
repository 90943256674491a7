namespace NodeOps.Storage;

/// <summary>The Table service's batch rules, enforced identically by both adapters.</summary>
internal static class BatchRules
{
    public const int MaxOperations = 100;

    public static void EnsureValid(IReadOnlyList<TableOperation> operations)
    {
        if (operations.Count is 0 or > MaxOperations)
        {
            throw new ArgumentException($"A batch holds 1 to {MaxOperations} operations, not {operations.Count}.", nameof(operations));
        }

        var partition = operations[0].Entity.PartitionKey;
        var rows = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            if (!string.Equals(operation.Entity.PartitionKey, partition, StringComparison.Ordinal))
            {
                throw new ArgumentException("All operations in a batch must share one partition key.", nameof(operations));
            }

            if (!rows.Add(operation.Entity.RowKey))
            {
                throw new ArgumentException($"Row key '{operation.Entity.RowKey}' appears twice in one batch.", nameof(operations));
            }
        }
    }
}
