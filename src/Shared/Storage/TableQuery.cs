namespace NodeOps.Storage;

public enum FilterOperator
{
    Equal,
    NotEqual,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
}

/// <summary>One comparison; a query's conditions are joined with AND.</summary>
public sealed record FilterCondition(string Property, FilterOperator Operator, object Value);

/// <summary>
/// A query over one partition (or the whole table when <see cref="PartitionKey"/> is null),
/// with optional row-key range, conditions, a page size and the continuation from the previous page.
/// Results come in (PartitionKey, RowKey) order.
/// </summary>
public sealed record TableQuery
{
    public string? PartitionKey { get; init; }

    /// <summary>Inclusive lower bound on the row key.</summary>
    public string? RowKeyFrom { get; init; }

    /// <summary>Exclusive upper bound on the row key.</summary>
    public string? RowKeyBefore { get; init; }

    public IReadOnlyList<FilterCondition> Conditions { get; init; } = [];

    /// <summary>At most this many entities in one page (the Table service caps a page at 1,000).</summary>
    public int PageSize { get; init; } = 1000;

    public string? Continuation { get; init; }

    public static TableQuery Partition(string partitionKey) => new() { PartitionKey = partitionKey };

    /// <summary>Every row key that starts with <paramref name="prefix"/>.</summary>
    public TableQuery WithRowKeyPrefix(string prefix) =>
        this with { RowKeyFrom = prefix, RowKeyBefore = prefix + '\uffff' };

    public TableQuery Where(string property, FilterOperator op, object value) =>
        this with { Conditions = [.. Conditions, new FilterCondition(property, op, value)] };
}

public sealed record TablePage(IReadOnlyList<TableEntity> Entities, string? Continuation);
