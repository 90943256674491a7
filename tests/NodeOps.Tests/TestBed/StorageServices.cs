using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Hosting;
using NodeOps.Storage;

namespace NodeOps.Tests.TestBed;

/// <summary>
/// Builds the storage adapters through the application's own registration (AddNodeOpsStorage), so the tests cover
/// the configuration path as well as the adapters.
/// </summary>
public static class StorageServices
{
    public static ServiceProvider Build(string dataFolder, IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration); // BindConfiguration reads options from it, as in the host
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new DataFolder(dataFolder));
        services.AddNodeOpsStorage(configuration);
        return services.BuildServiceProvider();
    }

    public static Dictionary<string, string?> Sqlite(string file) => new()
    {
        ["Storage:Provider"] = "Sqlite",
        ["Storage:SqliteFile"] = file,
    };

    public static Dictionary<string, string?> Azure(string connectionString, string? tablePrefix = null) => new()
    {
        ["Storage:Provider"] = "AzureStorage",
        ["Storage:ConnectionString"] = connectionString,
        ["Storage:TablePrefix"] = tablePrefix,
    };
}
