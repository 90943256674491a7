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

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public SqliteDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        CreateOwnerOnly(path);

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Initialize();

        // SQLite gives -wal and -shm the database file's mode, but files left by an older version keep theirs.
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            RestrictToOwner(file);
        }
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        // busy_timeout lets writers from other processes queue for the lock instead of failing at once.
        pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Creates the empty database file 0600 before SQLite opens it, so it is never readable by others.</summary>
    private static void CreateOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; its mode is corrected below like any existing file's.
        }
    }

    private static void RestrictToOwner(string file)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(file))
        {
            return;
        }

        try
        {
            if (File.GetUnixFileMode(file) != OwnerOnly)
            {
                File.SetUnixFileMode(file, OwnerOnly);
            }
        }
        catch (FileNotFoundException)
        {
            // The last connection of another process removed its -wal or -shm file just now: nothing left to restrict.
        }
    }

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
            CREATE TABLE IF NOT EXISTS queue_messages (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                queue         TEXT NOT NULL,
                body          TEXT NOT NULL,
                inserted_at   INTEGER NOT NULL,
                visible_at    INTEGER NOT NULL,
                dequeue_count INTEGER NOT NULL DEFAULT 0,
                pop_receipt   TEXT
            );
            CREATE INDEX IF NOT EXISTS ix_queue_visible ON queue_messages (queue, visible_at, id);
            """;
        command.ExecuteNonQuery();
    }
}
