using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Storage.Sqlite;

/// <summary>The work-queue contract against the SQLite adapter, on a database file of its own per test.</summary>
public sealed class SqliteWorkQueueTests : WorkQueueContract, IDisposable
{
    private readonly StorageTestHost _host;

    public SqliteWorkQueueTests()
        : this(StorageTestHost.Sqlite(MaxDequeueCount))
    {
    }

    private SqliteWorkQueueTests(StorageTestHost host)
        : base(host.Queue)
    {
        _host = host;
    }

    public void Dispose() => _host.Dispose();
}
