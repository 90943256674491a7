using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace NodeOps.Fuzz;

/// <summary>One route to fuzz: its method, its template, and the request body's property names from the OpenAPI document.</summary>
internal sealed partial record FuzzRoute(string Method, string Template, IReadOnlyList<string> BodyProperties)
{
    public IEnumerable<string> Parameters => ParameterRegex().Matches(Template).Select(m => m.Groups["name"].Value);

    public override string ToString() => $"{Method} {Template}";

    /// <summary>Every route of the running app (its endpoint data source), with body properties from its OpenAPI document.</summary>
    public static IReadOnlyList<FuzzRoute> All(IServiceProvider services, JsonElement openApi)
    {
        var routes = new List<FuzzRoute>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var template = "/" + ConstraintRegex().Replace(endpoint.RoutePattern.RawText ?? "", "{${name}}").Trim('/');
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                routes.Add(new FuzzRoute(method, template, BodyPropertiesOf(openApi, method, template)));
            }
        }

        return routes;
    }

    private static List<string> BodyPropertiesOf(JsonElement openApi, string method, string template)
    {
        var paths = openApi.GetProperty("paths");
        if (!(paths.TryGetProperty(template, out var path) || paths.TryGetProperty(template + "/", out path))
            || !path.TryGetProperty(method.ToLowerInvariant(), out var operation)
            || !operation.TryGetProperty("requestBody", out var body)
            || !body.TryGetProperty("content", out var content)
            || !content.TryGetProperty("application/json", out var json))
        {
            return [];
        }

        var schema = Resolve(openApi, json.GetProperty("schema"));
        return schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name).ToList() : [];
    }

    private static JsonElement Resolve(JsonElement openApi, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? openApi.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;

    [GeneratedRegex(@"\{\*?\*?(?<name>[A-Za-z_]+)(:[^}]*)?\??\}")]
    private static partial Regex ConstraintRegex();

    [GeneratedRegex(@"\{(?<name>[A-Za-z_]+)\}")]
    private static partial Regex ParameterRegex();
}
