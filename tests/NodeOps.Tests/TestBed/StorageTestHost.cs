using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Storage;

namespace NodeOps.Tests.TestBed;

/// <summary>
/// A service provider with storage adapters and its own temp folder (the SQLite file lives there),
/// removed again on Dispose.
/// </summary>
public sealed class StorageTestHost : IDisposable
{
    private readonly string _folder;
    private readonly ServiceProvider _services;

    private StorageTestHost(Func<string, IDictionary<string, string?>> settings)
    {
        _folder = Directory.CreateTempSubdirectory("nodeops-storage-").FullName;
        try
        {
            _services = StorageServices.Build(_folder, settings(_folder));
        }
        catch
        {
            Directory.Delete(_folder, recursive: true);
            throw;
        }
    }

    /// <summary>This host's own temp folder, removed on Dispose.</summary>
    public string Folder => _folder;

    public ITableStore Tables => _services.GetRequiredService<ITableStore>();

    public static StorageTestHost Sqlite() =>
        new(folder => StorageServices.Sqlite(Path.Combine(folder, "store.db")));

    public static StorageTestHost Azure(AzuriteFixture azurite, string? tablePrefix = null) =>
        new(_ => StorageServices.Azure(azurite.ConnectionString, tablePrefix));

    public void Dispose()
    {
        _services.Dispose();
        // Pooled connections keep the database file open; release them before the folder goes.
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
