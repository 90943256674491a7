using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace NodeOps.Tests.Http;

/// <summary>A route that can take a body, with its path parameters filled in with plausible values.</summary>
public sealed record BodyRoute(string Method, string Path, bool DeclaresJsonBody)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>Every POST/PUT/PATCH route of the running app, read from its endpoint data source (so a new route is covered by itself).</summary>
public static partial class RouteBodies
{
    public static IReadOnlyList<BodyRoute> All(IServiceProvider services)
    {
        var routes = new List<BodyRoute>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
            var json = accepts?.ContentTypes.Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase)) == true;
            foreach (var method in methods.Where(m => m is "POST" or "PUT" or "PATCH"))
            {
                routes.Add(new BodyRoute(method, Fill(endpoint.RoutePattern.RawText ?? ""), json));
            }
        }

        return routes;
    }

    private static string Fill(string pattern)
    {
        var path = Parameter().Replace(pattern, m => m.Groups["name"].Value switch
        {
            "name" => "main",
            "task_id" => "ssh-exec-1700000000-abcd",
            "session_id" or "sessionId" => "session-1",
            "node" => "node-1",
            _ => "1",
        });
        return path.StartsWith('/') ? path : "/" + path;
    }

    [GeneratedRegex(@"\{\*?(?<name>[A-Za-z_]+)(:[^}]*)?\??\}")]
    private static partial Regex Parameter();
}
