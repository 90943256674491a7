using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Storage.Sqlite;

/// <summary>The table-store contract against the SQLite adapter, on a database file of its own per test.</summary>
public sealed class SqliteTableStoreTests : TableStoreContract, IDisposable
{
    private readonly StorageTestHost _host;

    public SqliteTableStoreTests()
        : this(StorageTestHost.Sqlite())
    {
    }

    private SqliteTableStoreTests(StorageTestHost host)
        : base(host.Tables)
    {
        _host = host;
    }

    public void Dispose() => _host.Dispose();
}
