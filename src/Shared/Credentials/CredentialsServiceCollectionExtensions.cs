using Microsoft.Extensions.DependencyInjection;

namespace NodeOps.Credentials;

public static class CredentialsServiceCollectionExtensions
{
    /// <summary>SSH credentials with encrypted secrets, and <see cref="ICredentialVault"/> for the runners.</summary>
    public static IServiceCollection AddCredentials(this IServiceCollection services)
    {
        services.AddSingleton<PrivateKeyInspector>();
        services.AddSingleton<CredentialService>();
        services.AddSingleton<ICredentialVault>(sp => sp.GetRequiredService<CredentialService>());
        return services;
    }
}
