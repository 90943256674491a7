using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace NodeOps.Sandbox;

public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// The process sandbox and its start-up check. Every capability that runs user content (the catalog's syntax
    /// check, Ansible runs, the assistant's tools) calls this; registering it twice changes nothing.
    /// </summary>
    public static IServiceCollection AddSandbox(this IServiceCollection services)
    {
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.Section)
            .Validate(o => o.UserId > 0 && o.GroupId > 0, "Sandbox:UserId and Sandbox:GroupId must name an unprivileged user (not 0).")
            .Validate(o => o.ProbeTimeout > TimeSpan.Zero, "Sandbox:ProbeTimeout must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProcessSandbox>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SandboxStartupCheck>());
        return services;
    }
}
