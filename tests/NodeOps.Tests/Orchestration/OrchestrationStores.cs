using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Orchestration;

/// <summary>Configuration for a fresh orchestration store of each backend, as the app and the test child read it.</summary>
public static class OrchestrationStores
{
    /// <summary>A new SQLite file in <paramref name="folder"/>, with short leases so a killed holder's work comes back quickly.</summary>
    public static Dictionary<string, string?> Sqlite(string folder) => new()
    {
        ["Host:DataPath"] = folder,
        ["Storage:Provider"] = "Sqlite",
        ["Orchestration:SqliteFile"] = Path.Combine(folder, "orchestration.db"),
        ["Orchestration:LeaseDuration"] = "00:00:06",
        ["Orchestration:MaxPollInterval"] = "00:00:00.200",
    };

    /// <summary>A new task hub on the shared Azurite, with blobs for the backend's leases and large messages.</summary>
    public static Dictionary<string, string?> AzureStorage(AzuriteFixture azurite, string folder) => new()
    {
        ["Host:DataPath"] = folder,
        ["Storage:Provider"] = "AzureStorage",
        ["Storage:ConnectionString"] = azurite.ConnectionString,
        ["Orchestration:TaskHubName"] = "t" + Guid.NewGuid().ToString("N")[..20],
        ["Orchestration:MaxPollInterval"] = "00:00:01",
        ["Orchestration:LeaseDuration"] = "00:00:10",
        ["Orchestration:PartitionCount"] = "2",
    };
}
