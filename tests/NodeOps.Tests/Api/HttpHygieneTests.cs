using System.Net;
using System.Text;
using System.Text.Json;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

public sealed class HttpHygieneTests : HostedTest
{
    [Fact]
    public async Task EveryResponse_CarriesRequestId_EchoingASaneIncomingOne()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/features");
        request.Headers.Add("X-Request-ID", "trace-123.abc");
        using var echoed = await Host.Anonymous.SendAsync(request);
        Assert.Equal("trace-123.abc", echoed.Headers.GetValues("X-Request-ID").Single());

        using var generated = await Host.Anonymous.GetAsync(new Uri("/api/v1/features", UriKind.Relative));
        Assert.StartsWith("req_", generated.Headers.GetValues("X-Request-ID").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestId_WithUnsafeCharacters_IsReplaced()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/features");
        request.Headers.TryAddWithoutValidation("X-Request-ID", "<script>");
        using var response = await Host.Anonymous.SendAsync(request);

        Assert.StartsWith("req_", response.Headers.GetValues("X-Request-ID").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorBody_CarriesTheSameRequestIdAsTheHeader()
    {
        var response = await Host.Anonymous.GetApiAsync("/api/v1/users");

        Assert.Equal(response.Headers.GetValues("X-Request-ID").Single(), response.Json.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task UnknownRoute_Returns404InEnvelope()
    {
        (await Host.Anonymous.GetApiAsync("/api/v1/no-such-thing")).AssertError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WrongMethod_Returns405InEnvelope()
    {
        (await Host.Anonymous.DeleteApiAsync("/api/v1/features")).AssertError(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task OversizedBody_Returns413InEnvelope()
    {
        // A raw socket: the server answers as soon as it sees the declared length, and closes before a
        // client could finish sending 10 MB, which HttpClient reports as a reset instead of the response.
        var token = await Host.TokenAsync(Role.Admin);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(Host.BaseAddress.Host, Host.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"POST /api/v1/api-keys HTTP/1.1\r\nHost: {Host.BaseAddress.Authority}\r\nAuthorization: Bearer {token}\r\n" +
            "Content-Type: application/json\r\nContent-Length: 10485760\r\n\r\n{\"name\":\"";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var response = await reader.ReadToEndAsync(timeout.Token);

        Assert.StartsWith("HTTP/1.1 413", response, StringComparison.Ordinal);
        Assert.Contains("\"code\":413", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonJsonContentType_Returns415InEnvelope()
    {
        using var content = new StringContent("username=admin", Encoding.UTF8, "application/x-www-form-urlencoded");
        var response = await ApiResponse.ReadAsync(Host.Anonymous.PostAsync(new Uri("/api/v1/auth/login", UriKind.Relative), content));

        response.AssertError(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task EmptyBody_Returns400()
    {
        using var content = new StringContent("", Encoding.UTF8, "application/json");
        var response = await ApiResponse.ReadAsync(Host.Anonymous.PostAsync(new Uri("/api/v1/auth/login", UriKind.Relative), content));

        response.AssertError(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task DeeplyNestedJson_Returns400()
    {
        using var admin = await Host.ClientAsync(Role.Admin);
        var nested = "{\"name\":" + string.Concat(Enumerable.Repeat("[", 500)) + string.Concat(Enumerable.Repeat("]", 500)) + "}";

        (await admin.PostJsonAsync("/api/v1/api-keys", nested)).AssertError(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Preflight_FollowsSpecCors()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/features/automation/enabled");
        request.Headers.Add("Origin", "http://dashboard.example");
        request.Headers.Add("Access-Control-Request-Method", "PUT");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,authorization");

        using var response = await Host.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("PUT", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Equal("86400", response.Headers.GetValues("Access-Control-Max-Age").Single());
    }

    [Fact]
    public async Task OpenApiDocument_CoversEveryMappedRoute()
    {
        (await Host.Anonymous.GetApiAsync("/openapi/v1.json")).AssertError(HttpStatusCode.Unauthorized);
        using var viewer = await Host.ClientAsync(Role.Viewer);
        var response = await viewer.GetApiAsync("/openapi/v1.json");
        response.AssertStatus(HttpStatusCode.OK);
        var documented = response.Json.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        var sources = Host.GetRequiredService<IEnumerable<Microsoft.AspNetCore.Routing.EndpointDataSource>>();
        // CORS preflight handlers (OPTIONS only) are protocol plumbing, not API operations.
        var routes = sources.SelectMany(s => s.Endpoints).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.All(m => m == "OPTIONS") != true)
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/'))
            .Where(r => r.StartsWith("/api/", StringComparison.Ordinal))
            .Select(r => r.Replace(":long", "", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(routes);
        Assert.All(routes, route => Assert.True(documented.Contains(route) || documented.Contains(route.TrimEnd('/')), $"{route} is not in the OpenAPI document"));
    }

    [Fact]
    public async Task Login_ResponseIsJsonWithUtf8Messages()
    {
        using var response = await Host.Anonymous.PostAsync(new Uri("/api/v1/auth/login", UriKind.Relative),
            new StringContent(JsonSerializer.Serialize(new { username = "admin", password = TestHost.AdminPassword }), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains("登录成功", text, StringComparison.Ordinal);
    }
}
