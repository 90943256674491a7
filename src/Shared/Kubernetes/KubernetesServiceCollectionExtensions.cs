using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NodeOps.Kubernetes;

public static class KubernetesServiceCollectionExtensions
{
    /// <summary>The KubernetesClient cache behind <see cref="IKubernetesClients"/>; it reads kubeconfigs from the registered clusters.</summary>
    public static IServiceCollection AddKubernetesClients(this IServiceCollection services)
    {
        services.TryAddSingleton<KubernetesClients>();
        services.TryAddSingleton<IKubernetesClients>(sp => sp.GetRequiredService<KubernetesClients>());
        return services;
    }
}
