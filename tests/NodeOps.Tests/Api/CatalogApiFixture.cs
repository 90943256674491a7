using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

/// <summary>
/// One running NodeOps (SQLite in its own data folder) per test class, with every log line at every level captured,
/// and a signed-in client per role.
/// </summary>
public sealed class CatalogApiFixture : IAsyncLifetime
{
    private readonly Dictionary<Role, HttpClient> _clients = [];

    public TestHost Host { get; private set; } = null!;

    public CapturingLoggerProvider Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Host = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace" },
            configureServices: services => services.AddSingleton<ILoggerProvider>(Logs));
        foreach (var role in new[] { Role.Viewer, Role.User, Role.Admin })
        {
            _clients[role] = await Host.ClientAsync(role);
        }
    }

    public HttpClient Client(Role role) => _clients[role];

    public HttpClient Anonymous => Host.Anonymous;

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        await Host.DisposeAsync();
    }
}
