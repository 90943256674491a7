using Microsoft.Data.Sqlite;

namespace NodeOps.Storage.Sqlite;

/// <summary>
/// A SQLite database file of NodeOps's own (the table store, the orchestration store): created 0600 before SQLite opens
/// it, so it is never readable by others whatever the umask, with its -wal and -shm kept the same; opened with a busy
/// timeout, so writers from other processes queue for the lock instead of failing at once.
/// </summary>
internal static class SqliteFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder and the owner-only file when missing, and returns the connection string for it.</summary>
    public static string Prepare(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        CreateOwnerOnly(fullPath);
        return new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <param name="pragmas">Further per-connection pragmas, e.g. "PRAGMA foreign_keys = ON;".</param>
    public static SqliteConnection Open(string connectionString, string pragmas = "")
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; " + pragmas;
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>SQLite gives -wal and -shm the database file's mode, but files left by an older version keep theirs.</summary>
    public static void RestrictToOwner(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            Restrict(file);
        }
    }

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
            // Another process created it first; its mode is corrected by RestrictToOwner like any existing file's.
        }
    }

    private static void Restrict(string file)
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
}
