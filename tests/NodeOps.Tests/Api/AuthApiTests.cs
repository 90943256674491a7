using System.Net;
using System.Net.Http.Headers;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

public sealed class AuthApiTests : HostedTest
{
    [Fact]
    public async Task Login_BootstrapAdmin_ReturnsTokenAndUserInSpecEnvelope()
    {
        var response = await Host.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = "admin", password = TestHost.AdminPassword });

        response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(200, response.Json.GetProperty("code").GetInt32());
        Assert.Equal("登录成功", response.Json.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(response.Data.GetProperty("token").GetString()));
        var user = response.Data.GetProperty("user");
        Assert.Equal("admin", user.GetProperty("username").GetString());
        Assert.Equal("admin", user.GetProperty("role").GetString());
        Assert.Equal(1, user.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Login_WrongPassword_Returns401InEnvelope()
    {
        var response = await Host.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = "admin", password = "wrong-password" });

        response.AssertError(HttpStatusCode.Unauthorized);
        Assert.Equal("未授权", response.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Login_RepeatedFailures_Returns429WithRetryAfter()
    {
        for (var i = 0; i < 5; i++)
        {
            (await Host.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = "admin", password = "wrong-" + i }))
                .AssertStatus(HttpStatusCode.Unauthorized);
        }

        var blocked = await Host.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = "admin", password = TestHost.AdminPassword });

        blocked.AssertError(HttpStatusCode.TooManyRequests);
        Assert.True(blocked.Headers.RetryAfter?.Delta > TimeSpan.Zero, blocked.Body);
    }

    [Fact]
    public async Task Login_RateLimitIsPerUserName_OtherUsersStillSignIn()
    {
        await Host.TokenAsync(Role.Viewer);
        for (var i = 0; i < 6; i++)
        {
            await Host.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = "admin", password = "wrong-" + i });
        }

        var other = await Host.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = "test-viewer", password = "password-test-viewer" });

        other.AssertStatus(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("{\"username\":\"admin\",\"password\":5}", "password")]
    [InlineData("{\"username\":\"admin\"}", "password")]
    [InlineData("{\"username\":\"admin\",\"password\":\"x\",\"extra\":1}", "extra")]
    [InlineData("{\"username\":\"admin\",\"password\":null}", "password")]
    public async Task Login_BadBody_Returns400NamingTheField(string body, string field)
    {
        var response = await Host.Anonymous.PostJsonAsync("/api/v1/auth/login", body);

        response.AssertError(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Login_MalformedJson_Returns400()
    {
        var response = await Host.Anonymous.PostJsonAsync("/api/v1/auth/login", "{\"username\": ");

        response.AssertError(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ProtectedRoute_WithoutToken_Returns401InSpecShape()
    {
        var response = await Host.Anonymous.GetApiAsync("/api/v1/users");

        response.AssertError(HttpStatusCode.Unauthorized);
        Assert.Equal("未授权", response.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ProtectedRoute_WithForgedToken_Returns401()
    {
        using var client = new HttpClient { BaseAddress = Host.BaseAddress };
        var token = await Host.TokenAsync(Role.Admin);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^3] + (token.EndsWith("AAA", StringComparison.Ordinal) ? "BBB" : "AAA"));

        var response = await client.GetApiAsync("/api/v1/users");

        response.AssertError(HttpStatusCode.Unauthorized);
        Assert.Contains("Token", response.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeOwnPassword_OldPasswordStopsWorking()
    {
        using var viewer = await Host.ClientAsync(Role.Viewer);

        (await viewer.PutJsonAsync("/api/v1/auth/password", new { current_password = "password-test-viewer", new_password = "a-brand-new-password" }))
            .AssertStatus(HttpStatusCode.OK);

        (await Host.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = "test-viewer", password = "password-test-viewer" }))
            .AssertStatus(HttpStatusCode.Unauthorized);
        Assert.False(string.IsNullOrEmpty(await Host.LoginAsync("test-viewer", "a-brand-new-password")));
    }

    [Fact]
    public async Task ChangeOwnPassword_WrongCurrentPassword_Returns422NamingField()
    {
        using var viewer = await Host.ClientAsync(Role.Viewer);

        var response = await viewer.PutJsonAsync("/api/v1/auth/password", new { current_password = "nope-nope-nope", new_password = "another-password" });

        response.AssertError(HttpStatusCode.UnprocessableEntity, "current_password");
    }

    [Fact]
    public async Task Login_FailuresCountAcrossInstancesSharingOneStore()
    {
        // A second instance on the same data folder, as a second replica behind a load balancer would be.
        await using var second = await TestHost.StartAsync(dataPath: Host.DataPath);
        for (var i = 0; i < 5; i++)
        {
            var instance = i % 2 == 0 ? Host : second;
            (await instance.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = "admin", password = "wrong-" + i }))
                .AssertStatus(HttpStatusCode.Unauthorized);
        }

        (await Host.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = "admin", password = TestHost.AdminPassword }))
            .AssertError(HttpStatusCode.TooManyRequests);
        (await second.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = "admin", password = TestHost.AdminPassword }))
            .AssertError(HttpStatusCode.TooManyRequests);
    }
}
