using Microsoft.Extensions.Options;
using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Hosting;
using NodeOps.Storage;

namespace NodeOps.Functions.Hosting;

/// <summary>
/// Operator verbs on the same executable, run instead of the server: <c>admin reset-password [--username NAME]</c>.
/// It builds the application with the usual settings (appsettings.json, environment, --Section:Key=value), so it
/// reaches the configured store, SQLite or Azure, and never starts Kestrel or the hosted services; it works while
/// the server is stopped. The new password goes to standard output once, never to the log.
/// </summary>
public static class AdminCommand
{
    public const string Verb = "admin";

    private const string Usage = "usage: NodeOps.Functions admin reset-password [--username NAME] [--Section:Key=value ...]";

    public static bool Matches(string[] args) => args is [Verb, ..];

    /// <returns>The exit code: 0 done, 1 failed, 2 wrong usage.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args is not [Verb, "reset-password", .. var rest])
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        string? username = null;
        var settings = new List<string> { "--Logging:LogLevel:Default=Warning" };
        for (var i = 0; i < rest.Length; i++)
        {
            if (rest[i] == "--username" && i + 1 < rest.Length)
            {
                username = rest[++i];
            }
            else if (rest[i].StartsWith("--username=", StringComparison.Ordinal))
            {
                username = rest[i]["--username=".Length..];
            }
            else if (rest[i].StartsWith("--", StringComparison.Ordinal) && rest[i].Contains('=', StringComparison.Ordinal))
            {
                settings.Add(rest[i]);
            }
            else if (rest[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < rest.Length)
            {
                settings.Add(rest[i]);
                settings.Add(rest[++i]);
            }
            else
            {
                await error.WriteLineAsync($"unexpected argument '{rest[i]}'\n{Usage}");
                return 2;
            }
        }

        await using var app = NodeOpsApp.Create([.. settings]);
        var services = app.Services;
        username ??= services.GetRequiredService<IOptions<AuthOptions>>().Value.BootstrapAdminUsername;
        if (MissingDatabase(services) is { } missing)
        {
            await error.WriteLineAsync($"No NodeOps database at {missing}: pass the server's --Host:DataPath (or Storage settings).");
            return 1;
        }

        try
        {
            var (account, password) = await services.GetRequiredService<UserService>().ResetPasswordAsync(username);
            await services.GetRequiredService<AuditLog>().RecordAsync("users", "reset_password", $"cli:{Environment.UserName}@{Environment.MachineName}", account.Username);
            await output.WriteLineAsync($"""
                New password for '{account.Username}' ({account.Role.ToString().ToLowerInvariant()}), shown only this once: {password}
                Sign in and change it: PUT /api/v1/auth/password
                """);
            if (account.Disabled)
            {
                await error.WriteLineAsync($"The account '{account.Username}' is disabled; another admin must enable it (PUT /api/v1/users/{account.Id}/disabled).");
            }

            return 0;
        }
        catch (NodeOpsException ex) when (ex.Kind == ErrorKind.NotFound)
        {
            await error.WriteLineAsync($"No user named '{username}' in this store.");
            return 1;
        }
    }

    /// <summary>The SQLite file the settings point at, when it does not exist; a wrong data folder must not get a fresh, empty store.</summary>
    private static string? MissingDatabase(IServiceProvider services)
    {
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (storage.Provider != StorageProvider.Sqlite)
        {
            return null;
        }

        var file = services.GetRequiredService<DataFolder>().Resolve(storage.SqliteFile);
        return File.Exists(file) ? null : file;
    }
}
