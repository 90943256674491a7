using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NodeOps.Sandbox;

/// <summary>
/// At start-up: warns for every consumer an admin switched to run without the sandbox, and probes the sandbox once,
/// so a host without bwrap or user namespaces says so in its log before the first run is refused.
/// </summary>
internal sealed class SandboxStartupCheck(IServiceProvider services, ProcessSandbox sandbox, ILogger<SandboxStartupCheck> logger) : IHostedService
{
    private static readonly (string Setting, string What)[] Consumers =
    [
        ("Ansible:Sandbox", "playbook runs and playbook syntax checks"),
        ("Assistant:Tools:Sandbox", "the assistant's kubectl and bash tools"),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Hosts always have configuration; a bare service collection (a service test) has none, and all defaults.
        var configuration = services.GetService(typeof(IConfiguration)) as IConfiguration;
        var anyOn = false;
        foreach (var (setting, what) in Consumers)
        {
            if (Enum.TryParse<SandboxMode>(configuration?[setting], ignoreCase: true, out var mode) && mode == SandboxMode.Off)
            {
                Log.SandboxOff(logger, setting, what);
            }
            else
            {
                anyOn = true;
            }
        }

        if (anyOn)
        {
            // Logs the cause itself when the sandbox cannot be set up.
            await sandbox.ProbeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
