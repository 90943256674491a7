using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Auth;
using NodeOps.Functions.Hosting;

namespace NodeOps.Tests.TestBed;

/// <summary>
/// The real NodeOps application on a free loopback port, with its own data folder, removed on dispose
/// (a folder the caller passes in is the caller's to remove: restart tests reuse it).
/// Extra settings are "Section:Key" pairs, exactly as on the command line.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string AdminPassword = "admin-password-for-tests";
    private readonly WebApplication _app;
    private readonly Dictionary<Role, string> _tokens = [];
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private readonly bool _ownsDataPath;

    private TestHost(WebApplication app, string dataPath, bool ownsDataPath, Uri baseAddress)
    {
        _ownsDataPath = ownsDataPath;
        _app = app;
        DataPath = dataPath;
        BaseAddress = baseAddress;
        Anonymous = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
    }

    public Uri BaseAddress { get; }

    public string DataPath { get; }

    /// <summary>A client with no credentials.</summary>
    public HttpClient Anonymous { get; }

    public IServiceProvider Services => _app.Services;

    public T GetRequiredService<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    public static async Task<TestHost> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        string? dataPath = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var ownsDataPath = dataPath is null;
        dataPath ??= Path.Combine(Path.GetTempPath(), "nodeops-test-" + Guid.NewGuid().ToString("N"));
        var all = new Dictionary<string, string?>
        {
            ["Host:Url"] = "http://127.0.0.1:0",
            ["Host:DataPath"] = dataPath,
            ["Auth:BootstrapAdminPassword"] = AdminPassword,
            ["Auth:PasswordIterations"] = "10000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = NodeOpsApp.Create(all.Select(kv => $"--{kv.Key}={kv.Value}").ToArray(), configureServices);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestHost(app, dataPath, ownsDataPath, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>A client signed in with the given role (a user of that role is created on first use).</summary>
    public async Task<HttpClient> ClientAsync(Role role)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(role));
        return client;
    }

    public async Task<string> TokenAsync(Role role)
    {
        await _tokenLock.WaitAsync();
        try
        {
            if (_tokens.TryGetValue(role, out var cached))
            {
                return cached;
            }

            var username = role == Role.Admin ? "admin" : "test-" + role.ToString().ToLowerInvariant();
            var password = role == Role.Admin ? AdminPassword : "password-" + username;
            if (role != Role.Admin)
            {
                await GetRequiredService<UserService>().CreateAsync(username, password, role);
            }

            var token = await LoginAsync(username, password);
            _tokens[role] = token;
            return token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    public async Task<string> LoginAsync(string username, string password)
    {
        using var response = await Anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username, password });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"login as {username} failed: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("data").GetProperty("token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Anonymous.Dispose();
        _tokenLock.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (!_ownsDataPath)
        {
            return;
        }

        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a pooled SQLite connection; the temp folder is cleaned by the OS eventually.
        }
    }
}
