using System.Text.Json;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.AzureFunctions;

/// <summary>
/// The catch-all HTTP function, called as the worker calls it (a real DefaultHttpContext, a mocked FunctionContext):
/// the request goes through NodeOps's whole pipeline (authentication, errors, request ids, CORS, SSE).
/// </summary>
public sealed class ApiFunctionTests : IAsyncLifetime
{
    private FunctionsTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await FunctionsTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Login_ThenMe_AnswerInTheAutomationEnvelope()
    {
        var token = await _bed.LoginAsync();

        var me = await _bed.SendAsync("GET", "/api/v1/auth/me", token: token);

        Assert.True(me.Status == 200, me.Body);
        Assert.StartsWith("application/json", me.ContentType, StringComparison.Ordinal);
        Assert.Equal(200, me.Json.GetProperty("code").GetInt32());
        Assert.Equal("admin", me.Json.GetProperty("data").GetProperty("username").GetString());
        Assert.False(string.IsNullOrEmpty(me.Headers["X-Request-ID"].ToString()), "the request-id middleware ran");
    }

    [Fact]
    public async Task NoToken_Gets401InTheEnvelope()
    {
        var response = await _bed.SendAsync("GET", "/api/v1/users");

        Assert.True(response.Status == 401, response.Body);
        Assert.Equal(401, response.Json.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(response.Json.GetProperty("error").GetString()), response.Body);
    }

    [Fact]
    public async Task UnknownRoute_Gets404InTheEnvelope_NotTheCatchAllFunctionsMatch()
    {
        var token = await _bed.LoginAsync();

        var response = await _bed.SendAsync("GET", "/api/v1/no-such-resource", token: token);

        Assert.True(response.Status == 404, response.Body);
        Assert.Equal(404, response.Json.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task BadBody_GetsTheFieldNamedInThe400Envelope()
    {
        var response = await _bed.SendAsync("POST", "/api/v1/auth/login", new { username = "admin" });

        Assert.True(response.Status == 400, response.Body);
        Assert.Equal(400, response.Json.GetProperty("code").GetInt32());
        Assert.Contains("password", response.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CorsPreflight_IsAnsweredByNodeOpsPolicy()
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        http.Request.Method = "OPTIONS";
        http.Request.Path = "/api/v1/users";
        http.Request.Headers.Origin = "https://console.example";
        http.Request.Headers.AccessControlRequestMethod = "POST";
        http.Response.Body = new MemoryStream();

        await new NodeOps.Functions.AzureFunctions.ApiFunction(_bed.Pipeline).RunAsync(http.Request, _bed.DurableClient.Object, FunctionsTestBed.FunctionContextFor(http).Object);

        Assert.Equal(204, http.Response.StatusCode);
        Assert.Equal("*", http.Response.Headers.AccessControlAllowOrigin.ToString());
        Assert.Contains("POST", http.Response.Headers.AccessControlAllowMethods.ToString(), StringComparison.Ordinal);
    }
}
