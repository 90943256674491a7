using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;
using NodeOps.Functions.AzureFunctions;

namespace NodeOps.Tests.AzureFunctions;

/// <summary>
/// The published Functions app is what the Functions host loads: its functions.metadata lists exactly the functions
/// the code defines, with their trigger types; the Durable extension is in extensions.json and .azurefunctions.
/// Runs in CI with the rest of the suite (Category=Publish selects it alone).
/// </summary>
[Trait("Category", "Publish")]
public sealed class PublishedFunctionsAppTests(PublishedFunctionsApp published) : IClassFixture<PublishedFunctionsApp>
{
    [Fact]
    public void FunctionsMetadata_ListsEveryFunctionOfTheCode_WithItsTrigger()
    {
        var inCode = typeof(ApiFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .ToDictionary(m => m.GetCustomAttribute<FunctionAttribute>()!.Name, TriggerType);
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(published.Folder, "functions.metadata")));
        var inMetadata = metadata.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => f.GetProperty("bindings").EnumerateArray().Select(b => b.GetProperty("type").GetString()!).Single(t => t.EndsWith("Trigger", StringComparison.Ordinal)));

        Assert.Equal(inCode.OrderBy(kv => kv.Key), inMetadata.OrderBy(kv => kv.Key));
        Assert.Equal("httpTrigger", inMetadata[ApiFunction.Name]);
        Assert.Equal("timerTrigger", inMetadata[RetentionFunction.Name]);
        Assert.Contains("orchestrationTrigger", inMetadata.Values);
        Assert.Contains("activityTrigger", inMetadata.Values);
    }

    [Fact]
    public void CatchAllHttpFunction_TakesEveryMethodAndPath_AndHostJsonKeepsApiV1Paths()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(published.Folder, "functions.metadata")));
        var api = metadata.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == ApiFunction.Name);
        var trigger = api.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(published.Folder, "host.json")));

        Assert.Equal("{*path}", trigger.GetProperty("route").GetString());
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString(), ignoreCase: true);
        Assert.Superset(new HashSet<string> { "get", "post", "put", "delete", "options" }, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).ToHashSet());
        // With an empty prefix the route "{*path}" sees /api/v1/... (and /openapi/...) exactly as the standalone host serves them.
        Assert.Equal("", host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal("AzureStorage", host.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("storageProvider").GetProperty("type").GetString());
        Assert.False(host.RootElement.TryGetProperty("customHandler", out _), "host.json still configures a custom handler");
    }

    [Fact]
    public void DurableExtension_IsInExtensionsJsonAndAzureFunctionsFolder()
    {
        var azureFunctions = Path.Combine(published.Folder, ".azurefunctions");
        using var extensions = JsonDocument.Parse(File.ReadAllText(Path.Combine(published.Folder, "extensions.json")));
        var durable = extensions.RootElement.GetProperty("extensions").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "DurableTask");

        Assert.True(Directory.Exists(azureFunctions), ".azurefunctions is missing from the publish output");
        var hint = durable.GetProperty("hintPath").GetString()!;
        Assert.StartsWith("./.azurefunctions/", hint, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(published.Folder, hint)), hint + " is not in the publish output");
        Assert.True(File.Exists(Path.Combine(published.Folder, "NodeOps.Functions.dll")));
    }

    /// <summary>The binding type the SDK writes for the method's trigger: the attribute's name, camel-cased, without "Attribute".</summary>
    private static string TriggerType(MethodInfo method)
    {
        var trigger = method.GetParameters().SelectMany(p => p.GetCustomAttributes()).OfType<TriggerBindingAttribute>().Single();
        var name = trigger.GetType().Name;
        name = name[..^"Attribute".Length];
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
