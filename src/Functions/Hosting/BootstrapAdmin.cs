using NodeOps.Auth;

namespace NodeOps.Functions.Hosting;

/// <summary>
/// Creates the first admin before the server takes requests. A generated password goes to the console once,
/// not to the log, so it does not end up in log storage.
/// </summary>
internal sealed class BootstrapAdmin(UserService users, IConfiguration configuration) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var generated = await users.EnsureBootstrapAdminAsync(cancellationToken);
        if (generated is null)
        {
            return;
        }

        var username = configuration["Auth:BootstrapAdminUsername"] ?? "admin";
        await Console.Out.WriteLineAsync($"""

            ==================================================================
             NodeOps created the admin account '{username}'.
             Its generated password, shown only this once: {generated}
             Sign in and change it: PUT /api/v1/auth/password
            ==================================================================

            """);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
