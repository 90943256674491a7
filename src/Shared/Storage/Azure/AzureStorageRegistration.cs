using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NodeOps.Storage.Azure;

internal static class AzureStorageRegistration
{
    /// <summary>
    /// Registers the Table adapter over the account's SDK clients. The clients are built on first use, so
    /// the token credential (when there is no key) is created only for a host that really talks to Azure.
    /// </summary>
    public static IServiceCollection AddAzureStorage(this IServiceCollection services, StorageConnectionString connection, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        AzureResourceNames names;
        try
        {
            names = new AzureResourceNames(options.TablePrefix);
        }
        catch (ArgumentException ex)
        {
            throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions), [ex.Message]);
        }

        services.AddSingleton(names);
        services.AddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILogger<AzureStorageClients>>();
            AzureStorageLog.SigningIn(logger,
                connection.UsesTokenCredential ? "a token credential" : "the account key", connection.TableEndpoint);
            return AzureStorageClients.Create(connection, () => TokenCredential(options.ManagedIdentityClientId), logger);
        });
        services.AddSingleton<ITableStore>(sp => new AzureTableStore(
            sp.GetRequiredService<AzureStorageClients>().Tables,
            names,
            sp.GetRequiredService<ILogger<AzureTableStore>>()));
        return services;
    }

    /// <summary>
    /// DefaultAzureCredential: the managed identity in Azure (a user-assigned one when its client id is given),
    /// and the developer's Azure CLI sign-in on a workstation.
    /// </summary>
    internal static TokenCredential TokenCredential(string? managedIdentityClientId)
    {
        var credentialOptions = new DefaultAzureCredentialOptions();
        if (!string.IsNullOrWhiteSpace(managedIdentityClientId))
        {
            credentialOptions.ManagedIdentityClientId = managedIdentityClientId;
        }

        return new DefaultAzureCredential(credentialOptions);
    }
}
