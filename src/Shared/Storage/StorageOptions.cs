namespace NodeOps.Storage;

public enum StorageProvider
{
    Sqlite,
    AzureStorage,
}

/// <summary>Bound from the "Storage" section.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// Azure Storage connection string; "UseDevelopmentStorage=true" means Azurite on its default ports. Without an
    /// AccountKey NodeOps signs in with a token credential (the managed identity in Azure).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty means the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>SQLite file; relative paths are under the data folder.</summary>
    public string SqliteFile { get; set; } = "nodeops.db";

    /// <summary>Prefix for every Azure table and queue name, so several deployments can share one account.</summary>
    public string TablePrefix { get; set; } = "";
}
