using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Functions.Hosting;

namespace NodeOps.Bench;

/// <summary>NodeOps in the benchmark's own process on a free loopback port, with an admin client already signed in.</summary>
internal sealed class BenchApp : IAsyncDisposable
{
    private const string AdminPassword = "bench-admin-password";
    private readonly WebApplication _app;

    private BenchApp(WebApplication app, HttpClient client, string token)
    {
        _app = app;
        Client = client;
        Token = token;
    }

    public HttpClient Client { get; }

    /// <summary>The admin's token, for the progress WebSocket.</summary>
    public string Token { get; }

    /// <summary>The app's services, e.g. its endpoint data source for tools that visit every route.</summary>
    public IServiceProvider Services => _app.Services;

    /// <param name="dataPath">The data folder (SQLite store and generated keys).</param>
    /// <param name="settings">Further "--Section:Key=value" settings.</param>
    /// <param name="configureServices">Replaces services, e.g. the in-test catalog.</param>
    public static async Task<BenchApp> StartAsync(string dataPath, IEnumerable<string>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        string[] all =
        [
            "--Host:Url=http://127.0.0.1:0", $"--Host:DataPath={dataPath}", $"--Auth:BootstrapAdminPassword={AdminPassword}",
            "--Auth:PasswordIterations=10000", "--Logging:LogLevel:Default=Warning", .. settings ?? [],
        ];
        var app = NodeOpsApp.Create(all, configureServices);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = AdminPassword });
        var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("token").GetString()!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new BenchApp(app, client, token);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
