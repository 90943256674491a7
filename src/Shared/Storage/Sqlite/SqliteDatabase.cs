using Microsoft.Data.Sqlite;

namespace NodeOps.Storage.Sqlite;

/// <summary>
/// The embedded store's one database file, in WAL mode so readers never wait for the writer
/// and several NodeOps processes can share the file. The file holds password hashes and every run's output, so it
/// and its -wal and -shm files are the owner's alone (0600), whatever the process umask.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string path)
    {
        _connectionString = SqliteFile.Prepare(path);
        Initialize();
        SqliteFile.RestrictToOwner(Path.GetFullPath(path));
    }

    public SqliteConnection Open() => SqliteFile.Open(_connectionString, "PRAGMA foreign_keys = ON;");

    private void Initialize()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS entities (
                tbl   TEXT NOT NULL,
                pk    TEXT NOT NULL,
                rk    TEXT NOT NULL,
                etag  TEXT NOT NULL,
                ts    TEXT NOT NULL,
                props TEXT NOT NULL,
                PRIMARY KEY (tbl, pk, rk)
            ) WITHOUT ROWID;
            -- The work queue of the engine Durable Task replaced; files written before then still hold it.
            DROP TABLE IF EXISTS queue_messages;
            """;
        command.ExecuteNonQuery();
    }
}
