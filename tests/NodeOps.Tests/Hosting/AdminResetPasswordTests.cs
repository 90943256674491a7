using System.Net;
using System.Text.RegularExpressions;
using NodeOps.Audit;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Hosting;

/// <summary>
/// `admin reset-password` on the shipped executable: run against a stopped server's store (SQLite data folder, or
/// Azure tables on Azurite), it prints a new password once, audits the change, and that password signs in.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class AdminResetPasswordTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private readonly string _folder = Directory.CreateTempSubdirectory("nodeops-admin-cli-").FullName;

    private string DataPath => Path.Combine(_folder, "data");

    [Fact]
    public async Task ResetPassword_OnAStoppedServersDataFolder_PrintsAPasswordThatSignsIn()
    {
        await StopFreshServerAsync([]);

        var (exitCode, output) = await ShippedExecutable.RunAsync(_folder, ["admin", "reset-password", $"--Host:DataPath={DataPath}"], CommandTimeout);

        Assert.True(exitCode == 0, output);
        var password = PrintedPassword(output);
        Assert.Single(PrintedPasswordRegex().Matches(output));
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
        await AssertSignsInAsync([], password);
    }

    [Fact]
    public async Task ResetPassword_OnAzureStorage_PrintsAPasswordThatSignsIn()
    {
        string[] azure = ["--Storage:Provider=AzureStorage", $"--Storage:ConnectionString={azurite.ConnectionString}", "--Storage:TablePrefix=t" + Guid.NewGuid().ToString("N")[..8]];
        await StopFreshServerAsync(azure);

        var (exitCode, output) = await ShippedExecutable.RunAsync(_folder, ["admin", "reset-password", "--username", "admin", $"--Host:DataPath={DataPath}", .. azure], CommandTimeout);

        Assert.True(exitCode == 0, output);
        await AssertSignsInAsync(azure, PrintedPassword(output));
    }

    [Fact]
    public async Task ResetPassword_UnknownUser_FailsAndChangesNothing()
    {
        await StopFreshServerAsync([]);

        var (exitCode, output) = await ShippedExecutable.RunAsync(_folder, ["admin", "reset-password", "--username", "nobody", $"--Host:DataPath={DataPath}"], CommandTimeout);

        Assert.Equal(1, exitCode);
        Assert.Contains("No user named 'nobody'", output, StringComparison.Ordinal);
        Assert.DoesNotMatch(PrintedPasswordRegex(), output);
        await using var host = await TestHost.StartAsync(dataPath: DataPath);
        Assert.False(string.IsNullOrEmpty(await host.LoginAsync("admin", TestHost.AdminPassword)));
    }

    [Fact]
    public async Task ResetPassword_WrongDataFolder_FailsWithoutCreatingAStore()
    {
        var wrong = Path.Combine(_folder, "not-a-data-folder");

        var (exitCode, output) = await ShippedExecutable.RunAsync(_folder, ["admin", "reset-password", $"--Host:DataPath={wrong}"], CommandTimeout);

        Assert.Equal(1, exitCode);
        Assert.Contains("No NodeOps database at", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(wrong, "nodeops.db")));
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("admin", "rotate-keys")]
    public async Task AdminVerb_WrongUsage_ExitsWith2AndSaysHow(params string[] arguments)
    {
        var (exitCode, output) = await ShippedExecutable.RunAsync(_folder, arguments, CommandTimeout);

        Assert.Equal(2, exitCode);
        Assert.Contains("usage: NodeOps.Functions admin reset-password", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned by the OS eventually.
        }
    }

    private static string PrintedPassword(string output)
    {
        var match = PrintedPasswordRegex().Match(output);
        Assert.True(match.Success, output);
        return match.Groups[1].Value;
    }

    private static Dictionary<string, string?> Settings(string[] arguments) =>
        arguments.Select(a => a[2..].Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1]);

    /// <summary>A server that created the admin (with the test password) and stopped, as before a recovery.</summary>
    private async Task StopFreshServerAsync(string[] storage)
    {
        await using var host = await TestHost.StartAsync(Settings(storage), DataPath);
        Assert.False(string.IsNullOrEmpty(await host.LoginAsync("admin", TestHost.AdminPassword)));
    }

    private async Task AssertSignsInAsync(string[] storage, string password)
    {
        await using var host = await TestHost.StartAsync(Settings(storage), DataPath);
        Assert.False(string.IsNullOrEmpty(await host.LoginAsync("admin", password)));
        using var oldPassword = await host.Anonymous.PostAsync(new Uri("/api/v1/auth/login", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(new { username = "admin", password = TestHost.AdminPassword }));
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        var audit = await host.GetRequiredService<AuditLog>().ListAsync("users", 10);
        Assert.Contains(audit, e => e.Action == "reset_password" && e.Details == "admin" && e.Actor.StartsWith("cli:", StringComparison.Ordinal));
        Assert.DoesNotContain(audit, e => e.Details.Contains(password, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"shown only this once: (\S+)")]
    private static partial Regex PrintedPasswordRegex();
}
