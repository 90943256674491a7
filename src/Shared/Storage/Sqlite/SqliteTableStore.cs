using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace NodeOps.Storage.Sqlite;

/// <summary>The embedded table store: every logical table lives in one SQLite table keyed by (tbl, pk, rk).</summary>
internal sealed class SqliteTableStore(SqliteDatabase database, TimeProvider time) : ITableStore
{
    private const int SqliteConstraint = 19;

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        TableNames.EnsureValidTable(table);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT pk, rk, etag, ts, props FROM entities WHERE tbl = $t AND pk = $p AND rk = $r";
        command.Parameters.AddWithValue("$t", table);
        command.Parameters.AddWithValue("$p", partitionKey);
        command.Parameters.AddWithValue("$r", rowKey);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? ReadEntity(reader) : null);
    }

    public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken = default) =>
        Task.FromResult(InTransaction(connection => Apply(connection, table, TableOperation.Insert(entity))));

    public Task<string> ReplaceAsync(string table, TableEntity entity, string? etag, CancellationToken cancellationToken = default) =>
        Task.FromResult(InTransaction(connection => Apply(connection, table, TableOperation.Replace(entity, etag))));

    public Task<string> MergeAsync(string table, TableEntity entity, string? etag, CancellationToken cancellationToken = default) =>
        Task.FromResult(InTransaction(connection => Apply(connection, table, TableOperation.Merge(entity, etag))));

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken = default) =>
        Task.FromResult(InTransaction(connection => Apply(connection, table, TableOperation.Upsert(entity))));

    public Task DeleteAsync(string table, string partitionKey, string rowKey, string? etag, CancellationToken cancellationToken = default) =>
        Task.FromResult(InTransaction(connection =>
            Apply(connection, table, TableOperation.Delete(new TableEntity(partitionKey, rowKey), etag))));

    public Task<IReadOnlyList<string>> ExecuteBatchAsync(
        string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        BatchRules.EnsureValid(operations);
        IReadOnlyList<string> etags = InTransaction(connection =>
        {
            var results = new List<string>(operations.Count);
            for (var i = 0; i < operations.Count; i++)
            {
                try
                {
                    results.Add(Apply(connection, table, operations[i]));
                }
                catch (TableStoreException ex)
                {
                    throw new BatchFailedException(i, ex);
                }
            }

            return results;
        });
        return Task.FromResult(etags);
    }

    public Task<TablePage> QueryAsync(string table, TableQuery query, CancellationToken cancellationToken = default)
    {
        TableNames.EnsureValidTable(table);
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT pk, rk, etag, ts, props FROM entities WHERE tbl = $t");
        command.Parameters.AddWithValue("$t", table);
        if (query.PartitionKey is not null)
        {
            sql.Append(" AND pk = $pk");
            command.Parameters.AddWithValue("$pk", query.PartitionKey);
        }

        if (query.RowKeyFrom is not null)
        {
            sql.Append(" AND rk >= $rkFrom");
            command.Parameters.AddWithValue("$rkFrom", query.RowKeyFrom);
        }

        if (query.RowKeyBefore is not null)
        {
            sql.Append(" AND rk < $rkBefore");
            command.Parameters.AddWithValue("$rkBefore", query.RowKeyBefore);
        }

        for (var i = 0; i < query.Conditions.Count; i++)
        {
            var condition = query.Conditions[i];
            TableNames.EnsureValidProperty(condition.Property);
            var column = condition.Property switch
            {
                "PartitionKey" => "pk",
                "RowKey" => "rk",
                _ => $"json_extract(props, '$.{condition.Property}.v')",
            };
            sql.Append(CultureInfo.InvariantCulture, $" AND {column} {SqlOperator(condition.Operator)} $c{i}");
            command.Parameters.AddWithValue($"$c{i}", SqlitePropertyCodec.ToSqlValue(condition.Value));
        }

        if (query.Continuation is not null)
        {
            var (lastPk, lastRk) = ContinuationToken.Decode(query.Continuation);
            sql.Append(" AND (pk > $lastPk OR (pk = $lastPk AND rk > $lastRk))");
            command.Parameters.AddWithValue("$lastPk", lastPk);
            command.Parameters.AddWithValue("$lastRk", lastRk);
        }

        // One row more than the page tells whether a continuation is needed.
        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY pk, rk LIMIT {pageSize + 1}");
        command.CommandText = sql.ToString();
        var entities = new List<TableEntity>(pageSize);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                entities.Add(ReadEntity(reader));
            }
        }

        string? continuation = null;
        if (entities.Count > pageSize)
        {
            entities.RemoveAt(pageSize);
            var last = entities[^1];
            continuation = ContinuationToken.Encode(last.PartitionKey, last.RowKey);
        }

        return Task.FromResult(new TablePage(entities, continuation));
    }

    private T InTransaction<T>(Func<SqliteConnection, T> work)
    {
        using var connection = database.Open();
        // IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading a read lock.
        using var transaction = connection.BeginTransaction(deferred: false);
        var result = work(connection);
        transaction.Commit();
        return result;
    }

    private string Apply(SqliteConnection connection, string table, TableOperation operation)
    {
        TableNames.EnsureValidTable(table);
        var entity = operation.Entity;
        TableNames.EnsureValidKey(entity.PartitionKey, "PartitionKey");
        TableNames.EnsureValidKey(entity.RowKey, "RowKey");
        entity.EnsureSupportedValues();
        var conditional = operation.ETag is not null and not "*";
        var current = ReadRow(connection, table, entity.PartitionKey, entity.RowKey);

        if (operation.Kind == TableOperationKind.Insert && current is not null)
        {
            throw new EntityAlreadyExistsException(table, entity.PartitionKey, entity.RowKey);
        }

        if (operation.Kind is TableOperationKind.Replace or TableOperationKind.Merge or TableOperationKind.Delete)
        {
            if (current is null)
            {
                throw conditional
                    ? new PreconditionFailedException(table, entity.PartitionKey, entity.RowKey)
                    : new EntityNotFoundException(table, entity.PartitionKey, entity.RowKey);
            }

            if (conditional && !string.Equals(current.Value.ETag, operation.ETag, StringComparison.Ordinal))
            {
                throw new PreconditionFailedException(table, entity.PartitionKey, entity.RowKey);
            }
        }

        if (operation.Kind == TableOperationKind.Delete)
        {
            Execute(connection, "DELETE FROM entities WHERE tbl = $t AND pk = $p AND rk = $r", table, entity);
            return "";
        }

        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (operation.Kind == TableOperationKind.Merge && current is not null)
        {
            SqlitePropertyCodec.Decode(current.Value.Props, properties);
        }

        foreach (var (name, value) in entity.Properties)
        {
            properties[name] = value;
        }

        var etag = NewETag();
        var now = time.GetUtcNow();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO entities (tbl, pk, rk, etag, ts, props) VALUES ($t, $p, $r, $e, $ts, $props)
            ON CONFLICT (tbl, pk, rk) DO UPDATE SET etag = excluded.etag, ts = excluded.ts, props = excluded.props
            """;
        command.Parameters.AddWithValue("$t", table);
        command.Parameters.AddWithValue("$p", entity.PartitionKey);
        command.Parameters.AddWithValue("$r", entity.RowKey);
        command.Parameters.AddWithValue("$e", etag);
        command.Parameters.AddWithValue("$ts", now.UtcDateTime.ToString(SqlitePropertyCodec.DateFormat, CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$props", SqlitePropertyCodec.Encode(properties));
        try
        {
            command.ExecuteNonQuery();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
        {
            throw new EntityAlreadyExistsException(table, entity.PartitionKey, entity.RowKey);
        }

        entity.ETag = etag;
        entity.Timestamp = now;
        return etag;
    }

    private static (string ETag, string Props)? ReadRow(SqliteConnection connection, string table, string pk, string rk)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, props FROM entities WHERE tbl = $t AND pk = $p AND rk = $r";
        command.Parameters.AddWithValue("$t", table);
        command.Parameters.AddWithValue("$p", pk);
        command.Parameters.AddWithValue("$r", rk);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    private static void Execute(SqliteConnection connection, string sql, string table, TableEntity entity)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$t", table);
        command.Parameters.AddWithValue("$p", entity.PartitionKey);
        command.Parameters.AddWithValue("$r", entity.RowKey);
        command.ExecuteNonQuery();
    }

    private static TableEntity ReadEntity(SqliteDataReader reader)
    {
        var entity = new TableEntity(reader.GetString(0), reader.GetString(1))
        {
            ETag = reader.GetString(2),
            Timestamp = DateTimeOffset.ParseExact(reader.GetString(3), SqlitePropertyCodec.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        };
        SqlitePropertyCodec.Decode(reader.GetString(4), entity.Properties);
        return entity;
    }

    private static string NewETag() => $"W/\"{Guid.NewGuid():N}\"";

    private static string SqlOperator(FilterOperator op) => op switch
    {
        FilterOperator.Equal => "=",
        FilterOperator.NotEqual => "<>",
        FilterOperator.GreaterThan => ">",
        FilterOperator.GreaterThanOrEqual => ">=",
        FilterOperator.LessThan => "<",
        FilterOperator.LessThanOrEqual => "<=",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
