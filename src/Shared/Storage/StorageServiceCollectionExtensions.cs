using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodeOps.Hosting;
using NodeOps.Storage.Azure;
using NodeOps.Storage.Sqlite;

namespace NodeOps.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Chooses the storage adapters from configuration: SQLite in the data folder by default, Azure Table
    /// Storage with Storage:Provider=AzureStorage. Wrong settings fail here, at start-up, with a message that says which.
    /// </summary>
    public static IServiceCollection AddNodeOpsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(StorageOptions.Section);
        var providerText = section["Provider"];
        if (!string.IsNullOrEmpty(providerText) && !Enum.TryParse<StorageProvider>(providerText, ignoreCase: true, out _))
        {
            throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions),
                [$"Storage:Provider '{providerText}' is unknown; use Sqlite or AzureStorage."]);
        }

        var options = section.Get<StorageOptions>() ?? new StorageOptions();
        services.AddSingleton(Options.Create(options));
        services.AddSingleton<SequenceGenerator>();

        if (options.Provider == StorageProvider.AzureStorage)
        {
            StorageConnectionString connection;
            try
            {
                connection = StorageConnectionString.Parse(options.ConnectionString);
            }
            catch (FormatException ex)
            {
                throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions), [ex.Message]);
            }

            services.AddAzureStorage(connection, options);
            return services;
        }

        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<DataFolder>().Resolve(options.SqliteFile)));
        services.AddSingleton<ITableStore, SqliteTableStore>();
        return services;
    }
}
