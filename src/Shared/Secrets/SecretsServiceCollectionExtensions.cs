using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Hosting;

namespace NodeOps.Secrets;

public static class SecretsServiceCollectionExtensions
{
    /// <summary>
    /// The secret protector, keyed by Secrets:MasterKey (base64, 32 bytes). Without one, a key is generated once
    /// into the data folder (mode 0600) and a warning says so: fine for one machine, not for a fleet.
    /// </summary>
    public static IServiceCollection AddSecretProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var configured = configuration["Secrets:MasterKey"];
        byte[]? key = null;
        if (!string.IsNullOrEmpty(configured))
        {
            try
            {
                key = Convert.FromBase64String(configured);
            }
            catch (FormatException)
            {
                throw new OptionsValidationException("Secrets", typeof(object), ["Secrets:MasterKey is not valid base64."]);
            }

            if (key.Length != 32)
            {
                throw new OptionsValidationException("Secrets", typeof(object), ["Secrets:MasterKey must decode to exactly 32 bytes."]);
            }
        }

        services.AddSingleton<ISecretProtector>(sp => new AesGcmSecretProtector(key ?? sp.GetRequiredService<DataFolder>()
            .GetOrCreateKey("master.key", 32, sp.GetRequiredService<ILoggerFactory>().CreateLogger("NodeOps.Secrets"), "secrets master key")));
        return services;
    }
}
