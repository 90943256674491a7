using Microsoft.Data.Sqlite;
using NodeOps.Storage.Sqlite;

namespace NodeOps.Tests.Storage.Sqlite;

/// <summary>What opening a data file does to one written by an earlier version.</summary>
public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nodeops-sqlite-").FullName;

    [Fact]
    public void A_file_from_the_engine_before_durable_task_loses_its_work_queue_and_keeps_its_rows()
    {
        var path = Path.Combine(_folder, "store.db");
        using (var old = new SqliteConnection($"Data Source={path}"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE entities (tbl TEXT NOT NULL, pk TEXT NOT NULL, rk TEXT NOT NULL, etag TEXT NOT NULL, ts TEXT NOT NULL,
                    props TEXT NOT NULL, PRIMARY KEY (tbl, pk, rk)) WITHOUT ROWID;
                INSERT INTO entities VALUES ('executions', 'p', 'r', 'e', 't', '{}');
                CREATE TABLE queue_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL, body TEXT NOT NULL);
                INSERT INTO queue_messages (queue, body) VALUES ('work', '{}');
                """;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        using var connection = new SqliteDatabase(path).Open();
        using var check = connection.CreateCommand();
        check.CommandText = "SELECT (SELECT COUNT(*) FROM sqlite_master WHERE name = 'queue_messages'), (SELECT COUNT(*) FROM entities)";
        using var reader = check.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(0L, reader.GetInt64(0));
        Assert.Equal(1L, reader.GetInt64(1));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
