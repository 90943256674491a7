using Microsoft.Extensions.DependencyInjection;

namespace NodeOps.Storage.Azure;

internal static class AzureStorageRegistration
{
    public static IServiceCollection AddAzureStorage(this IServiceCollection services, StorageConnectionString connection, string tablePrefix) =>
        throw new NotSupportedException("placeholder until the Azure adapters land");
}
