using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NodeOps.Kubernetes;

public static class KubernetesServiceCollectionExtensions
{
    /// <summary>
    /// The KubernetesClient cache behind <see cref="IKubernetesClients"/> (it reads kubeconfigs from the registered
    /// clusters) and the node operations built on it.
    /// </summary>
    public static IServiceCollection AddKubernetesClients(this IServiceCollection services)
    {
        services.TryAddSingleton<KubernetesClients>();
        services.TryAddSingleton<IKubernetesClients>(sp => sp.GetRequiredService<KubernetesClients>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Nodes.NodeDrainer>();
        services.TryAddSingleton<Nodes.NodeReadiness>();
        return services;
    }
}
