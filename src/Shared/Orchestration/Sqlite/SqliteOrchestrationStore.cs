using Microsoft.Data.Sqlite;
using NodeOps.Storage.Sqlite;

namespace NodeOps.Orchestration.Sqlite;

/// <summary>
/// The orchestration database file: created owner-only (0600; SQLite gives its WAL and shared-memory files the same
/// mode), in WAL mode so readers never wait for the writer and several processes can share it. Writers of this
/// process take turns on a gate, so they never spin on SQLite's busy handler against each other.
/// </summary>
internal sealed class SqliteOrchestrationStore : IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public SqliteOrchestrationStore(string path)
    {
        _connectionString = SqliteFile.Prepare(path);
    }

    public SqliteConnection Open() => SqliteFile.Open(_connectionString);

    public void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs <paramref name="work"/> in one immediate (write-locked) transaction and commits it.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public T Read<T>(Func<SqliteConnection, T> work)
    {
        using var connection = Open();
        return work(connection);
    }

    public void Dispose() => _writeGate.Dispose();
}
