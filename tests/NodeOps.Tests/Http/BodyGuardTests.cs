using System.Net;
using System.Text;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Http;

/// <summary>
/// Item 11 of issue 16: no body makes a route answer 5xx. Every POST/PUT route of the app, found from its endpoint
/// data source, gets null, "", [], {} and a lone UTF-16 surrogate as an admin.
/// </summary>
public sealed class BodyGuardTests : IAsyncLifetime
{
    private static readonly string[] Bodies = ["null", "", "[]", "{}", "{\"query\":\"\\ud800\"}"];
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task EveryRouteWithABody_MalformedBodies_NeverAnswer5xx()
    {
        using var admin = await _host.ClientAsync(Role.Admin);
        var routes = RouteBodies.All(_host.Services);
        Assert.True(routes.Count(r => r.DeclaresJsonBody) >= 20, $"only {routes.Count} routes found: {string.Join(", ", routes)}");
        Assert.Contains(routes, r => r.Path.TrimEnd('/') == "/api/v1/chat/stream" && r.DeclaresJsonBody);
        Assert.Contains(routes, r => r.Path.TrimEnd('/') == "/api/v1/automation/workflows" && r.DeclaresJsonBody);

        var failures = new List<string>();
        foreach (var route in routes)
        {
            foreach (var body in Bodies)
            {
                var response = await SendAsync(admin, route, body);
                if ((int)response.Status >= 500)
                {
                    failures.Add($"{route} with {Show(body)}: {(int)response.Status} {response.Body}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryRouteDeclaringAJsonBody_RefusesNullEmptyArrayAndLoneSurrogate_With400NamingTheProblem()
    {
        using var admin = await _host.ClientAsync(Role.Admin);
        var failures = new List<string>();
        foreach (var route in RouteBodies.All(_host.Services).Where(r => r.DeclaresJsonBody))
        {
            var expectations = new (string Body, string Field, string Says)[]
            {
                ("null", "body", "请求体是 null"),
                ("", "body", "请求体为空"),
                ("[]", "body", "收到的是数组"),
                ("{\"query\":\"\\ud800\"}", "query", "孤立的 UTF-16 代理项"),
            };
            foreach (var (body, field, says) in expectations)
            {
                var response = await SendAsync(admin, route, body);
                var text = response.Body;
                if (response.Status != HttpStatusCode.BadRequest || !text.Contains(says, StringComparison.Ordinal) || !text.Contains($"\"field\":\"{field}\"", StringComparison.Ordinal))
                {
                    failures.Add($"{route} with {Show(body)}: {(int)response.Status} {text}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task<ApiResponse> SendAsync(HttpClient client, BodyRoute route, string body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), new Uri(route.Path, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        return await ApiResponse.ReadAsync(client.SendAsync(request));
    }

    private static string Show(string body) => body.Length == 0 ? "an empty body" : body;
}
