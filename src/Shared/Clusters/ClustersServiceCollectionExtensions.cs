using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NodeOps.Clusters;

public static class ClustersServiceCollectionExtensions
{
    /// <summary>
    /// Registered clusters: the cluster service, <see cref="IKubeconfigSource"/>, and <see cref="INodeResolver"/> with
    /// the static inventory as its first <see cref="INodeAddressSource"/> (add more sources after this call).
    /// </summary>
    public static IServiceCollection AddClusters(this IServiceCollection services)
    {
        services.TryAddSingleton<HostKeyPinStore>();
        services.AddSingleton<ClusterService>();
        services.AddSingleton<IKubeconfigSource>(sp => sp.GetRequiredService<ClusterService>());
        services.AddSingleton<INodeAddressSource, StaticInventorySource>();
        services.AddSingleton<INodeResolver, ClusterNodeResolver>();
        return services;
    }
}
