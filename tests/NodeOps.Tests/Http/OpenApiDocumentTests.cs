using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Http;

/// <summary>Item 5 of issue 16: the OpenAPI document describes every operation's bodies and errors, enough for a client generator.</summary>
public sealed partial class OpenApiDocumentTests : IAsyncLifetime
{
    private static readonly string[] Methods = ["get", "post", "put", "delete", "patch"];
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Document_NeedsASignedInCaller()
    {
        var anonymous = await _host.Anonymous.GetApiAsync("/openapi/v1.json");

        anonymous.AssertStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task EveryOperation_HasItsRequestSchema_ASuccessSchema_AndErrorResponses()
    {
        using var viewer = await _host.ClientAsync(Role.Viewer);
        var response = await viewer.GetApiAsync("/openapi/v1.json");
        response.AssertStatus(HttpStatusCode.OK);
        var document = response.Json;
        var components = document.GetProperty("components").GetProperty("schemas");
        Assert.True(components.TryGetProperty("AutomationError", out _), "no AutomationError schema");
        Assert.True(components.TryGetProperty("AssistantError", out _), "no AssistantError schema");
        var withBody = RoutesWithJsonBody();
        var problems = new List<string>();
        var operations = 0;

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                operations++;
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name.TrimEnd('/')}";
                var responses = operation.Value.GetProperty("responses");
                var success = responses.TryGetProperty("200", out var ok) ? ok : responses.TryGetProperty("201", out var created) ? created : default;
                if (success.ValueKind != JsonValueKind.Object || !HasJsonSchema(success))
                {
                    problems.Add($"{name}: no 200/201 response schema");
                }

                foreach (var status in new[] { "400", "404", "500" })
                {
                    if (!responses.TryGetProperty(status, out var error) || !HasJsonSchema(error))
                    {
                        problems.Add($"{name}: no {status} error schema");
                    }
                }

                if (withBody.Contains(name))
                {
                    if (!operation.Value.TryGetProperty("requestBody", out var body) || !HasJsonSchema(body))
                    {
                        problems.Add($"{name}: takes a body but has no request schema");
                    }

                    withBody.Remove(name);
                }
            }
        }

        Assert.True(operations >= 50, $"only {operations} operations in the document");
        Assert.True(withBody.Count == 0, "routes with a body missing from the document: " + string.Join(", ", withBody));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task DeclaredData_IsTyped_AndErrorsPointAtTheirSurfacesShape()
    {
        using var viewer = await _host.ClientAsync(Role.Viewer);
        var document = (await viewer.GetApiAsync("/openapi/v1.json")).Json;
        var paths = document.GetProperty("paths");

        var createUser = Operation(paths, "/api/v1/users", "post");
        var data = createUser.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("properties").GetProperty("data");
        var chatError = Operation(paths, "/api/v1/chat", "post").GetProperty("responses").GetProperty("400").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var userError = createUser.GetProperty("responses").GetProperty("400").GetProperty("content").GetProperty("application/json").GetProperty("schema");

        var clusters = Operation(paths, "/api/v1/clusters", "get").GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").GetProperty("properties").GetProperty("data").GetProperty("properties");

        Assert.Contains("username", Resolve(document, data).GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["total", "page", "page_size", "clusters"], clusters.EnumerateObject().Select(p => p.Name));
        Assert.Contains("name", Resolve(document, clusters.GetProperty("clusters").GetProperty("items")).GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.EndsWith("/AssistantError", chatError.GetProperty("$ref").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/AutomationError", userError.GetProperty("$ref").GetString(), StringComparison.Ordinal);
    }

    private HashSet<string> RoutesWithJsonBody()
    {
        var routes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in _host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is null)
            {
                continue;
            }

            var path = Constraint().Replace("/" + (endpoint.RoutePattern.RawText ?? "").Trim('/'), "{${name}}");
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                routes.Add($"{method} {path}");
            }
        }

        return routes;
    }

    private static JsonElement Operation(JsonElement paths, string path, string method) =>
        (paths.TryGetProperty(path, out var found) ? found : paths.GetProperty(path + "/")).GetProperty(method);

    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;

    private static bool HasJsonSchema(JsonElement element) =>
        element.TryGetProperty("content", out var content)
        && content.TryGetProperty("application/json", out var json)
        && json.TryGetProperty("schema", out var schema)
        && schema.ValueKind == JsonValueKind.Object;

    [GeneratedRegex(@"\{(?<name>[A-Za-z_]+):[^}]*\}")]
    private static partial Regex Constraint();
}
