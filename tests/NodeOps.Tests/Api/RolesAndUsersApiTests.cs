using System.Net;
using System.Net.Http.Headers;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

public sealed class RolesAndUsersApiTests : HostedTest
{
    [Theory]
    [InlineData(Role.Viewer)]
    [InlineData(Role.User)]
    public async Task UserAdministration_NonAdmin_Returns403NamingAdmin(Role role)
    {
        using var client = await Host.ClientAsync(role);

        var response = await client.GetApiAsync("/api/v1/users");

        response.AssertError(HttpStatusCode.Forbidden);
        Assert.Equal("需要 admin 权限才能执行此操作", response.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Admin_CreatesUser_WhoCanSignInWithThatRole()
    {
        using var admin = await Host.ClientAsync(Role.Admin);

        var created = await admin.PostJsonAsync("/api/v1/users", new { username = "ops.alice", password = "alice-password-1", role = "user" });

        created.AssertStatus(HttpStatusCode.Created);
        Assert.Equal("user", created.Data.GetProperty("role").GetString());
        Assert.False(created.Data.TryGetProperty("password_hash", out _), created.Body);
        var token = await Host.LoginAsync("ops.alice", "alice-password-1");
        using var alice = ClientWith(token);
        (await alice.GetApiAsync("/api/v1/auth/me")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Admin_CreatesDuplicateUser_Returns409()
    {
        using var admin = await Host.ClientAsync(Role.Admin);
        (await admin.PostJsonAsync("/api/v1/users", new { username = "dup-user", password = "dup-password-1" })).AssertStatus(HttpStatusCode.Created);

        var again = await admin.PostJsonAsync("/api/v1/users", new { username = "DUP-user", password = "dup-password-2" });

        again.AssertError(HttpStatusCode.Conflict, "username");
    }

    [Theory]
    [InlineData("../etc/passwd", "long-enough-pw", "username")]
    [InlineData("ok-name", "short", "password")]
    [InlineData("a", "long-enough-pw", "username")]
    public async Task Admin_CreatesUserWithBadFields_Returns422NamingField(string username, string password, string field)
    {
        using var admin = await Host.ClientAsync(Role.Admin);

        var response = await admin.PostJsonAsync("/api/v1/users", new { username, password });

        response.AssertError(HttpStatusCode.UnprocessableEntity, field);
    }

    [Fact]
    public async Task Admin_UnknownRole_Returns400NamingRole()
    {
        using var admin = await Host.ClientAsync(Role.Admin);

        var response = await admin.PostJsonAsync("/api/v1/users", new { username = "bob-x", password = "bob-password-1", role = "superuser" });

        response.AssertError(HttpStatusCode.BadRequest, "role");
    }

    [Fact]
    public async Task DisabledUser_TokenStopsWorking()
    {
        using var admin = await Host.ClientAsync(Role.Admin);
        var created = await admin.PostJsonAsync("/api/v1/users", new { username = "to-disable", password = "disable-password" });
        var id = created.Data.GetProperty("id").GetInt64();
        using var victim = ClientWith(await Host.LoginAsync("to-disable", "disable-password"));
        (await victim.GetApiAsync("/api/v1/auth/me")).AssertStatus(HttpStatusCode.OK);

        (await admin.PutJsonAsync($"/api/v1/users/{id}/disabled", new { disabled = true })).AssertStatus(HttpStatusCode.OK);

        (await victim.GetApiAsync("/api/v1/auth/me")).AssertError(HttpStatusCode.Unauthorized);
        (await Host.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = "to-disable", password = "disable-password" }))
            .AssertStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RoleChange_AppliesToExistingToken()
    {
        using var admin = await Host.ClientAsync(Role.Admin);
        var created = await admin.PostJsonAsync("/api/v1/users", new { username = "promoted", password = "promote-password", role = "viewer" });
        var id = created.Data.GetProperty("id").GetInt64();
        using var promoted = ClientWith(await Host.LoginAsync("promoted", "promote-password"));
        (await promoted.GetApiAsync("/api/v1/users")).AssertStatus(HttpStatusCode.Forbidden);

        (await admin.PutJsonAsync($"/api/v1/users/{id}/role", new { role = "admin" })).AssertStatus(HttpStatusCode.OK);

        (await promoted.GetApiAsync("/api/v1/users")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Admin_CannotDemoteThemselves()
    {
        using var admin = await Host.ClientAsync(Role.Admin);

        var response = await admin.PutJsonAsync("/api/v1/users/1/role", new { role = "viewer" });

        response.AssertError(HttpStatusCode.UnprocessableEntity, "role");
    }

    [Fact]
    public async Task ApiKey_CreatedOnce_AuthenticatesWithItsRole_UntilRevoked()
    {
        using var admin = await Host.ClientAsync(Role.Admin);
        var created = await admin.PostJsonAsync("/api/v1/api-keys", new { name = "ci-bot", role = "viewer" });
        created.AssertStatus(HttpStatusCode.Created);
        var key = created.Data.GetProperty("key").GetString()!;
        var id = created.Data.GetProperty("id").GetString()!;
        using var bot = new HttpClient { BaseAddress = Host.BaseAddress };
        bot.DefaultRequestHeaders.Add("X-API-Key", key);

        (await bot.GetApiAsync("/api/v1/auth/me")).AssertStatus(HttpStatusCode.OK);
        (await bot.GetApiAsync("/api/v1/users")).AssertStatus(HttpStatusCode.Forbidden);
        var listed = await admin.GetApiAsync("/api/v1/api-keys");
        Assert.DoesNotContain(key.Split('_')[^1], listed.Body, StringComparison.Ordinal);

        (await admin.DeleteApiAsync($"/api/v1/api-keys/{id}")).AssertStatus(HttpStatusCode.OK);

        (await bot.GetApiAsync("/api/v1/auth/me")).AssertError(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ApiKey_Wrong_Returns401()
    {
        using var bot = new HttpClient { BaseAddress = Host.BaseAddress };
        bot.DefaultRequestHeaders.Add("X-API-Key", "nok_0123456789abcdef_not-the-secret");

        (await bot.GetApiAsync("/api/v1/auth/me")).AssertError(HttpStatusCode.Unauthorized);
    }

    private HttpClient ClientWith(string token)
    {
        var client = new HttpClient { BaseAddress = Host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
