using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

/// <summary>The local cloud-like run: the whole app on Azure Table Storage (a real Azurite) instead of SQLite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureStorageRunTests(AzuriteFixture azurite) : HostedTest
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "AzureStorage",
        ["Storage:ConnectionString"] = azurite.ConnectionString,
        // Each run gets its own tables, so the bootstrap admin is created afresh.
        ["Storage:TablePrefix"] = "t" + Guid.NewGuid().ToString("N")[..8],
    };

    [Fact]
    public async Task LoginUsersAndFeatures_WorkOnAzureTableStorage()
    {
        using var admin = await Host.ClientAsync(Role.Admin);

        (await admin.PostJsonAsync("/api/v1/users", new { username = "azure-user", password = "azure-password-1" })).AssertStatus(HttpStatusCode.Created);
        (await admin.PutJsonAsync("/api/v1/features/automation/ssh", new { timeout = 77 })).AssertStatus(HttpStatusCode.OK);

        var users = await admin.GetApiAsync("/api/v1/users");
        Assert.Contains(users.Data.GetProperty("users").EnumerateArray(), u => u.GetProperty("username").GetString() == "azure-user");
        var features = await Host.Anonymous.GetApiAsync("/api/v1/features");
        Assert.Equal(77, features.Data.GetProperty("ssh").GetProperty("timeout").GetInt32());
        Assert.False(string.IsNullOrEmpty(await Host.LoginAsync("azure-user", "azure-password-1")));
    }
}
