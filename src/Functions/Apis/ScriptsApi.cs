using System.Text.Json.Serialization;
using NodeOps.Catalog;
using NodeOps.Features;

namespace NodeOps.Functions.Apis;

/// <summary>Scripts: the catalog's route shape (<see cref="CatalogItemsApi"/>) with the script request bodies; lists also filter by language.</summary>
internal static class ScriptsApi
{
    public static RouteGroupBuilder MapScriptsApi(this IEndpointRouteBuilder routes) =>
        routes.MapCatalogItems<ScriptService, Script, ScriptSummary, ScriptVersion, ScriptInput, CreateScriptRequest, UpdateScriptRequest>(
            new CatalogItemsRoute("/api/v1/automation/scripts", "Scripts", Capability.Scripts, "scripts", FiltersByLanguage: true),
            r => new ScriptInput(r.Name, r.Description, r.Content, r.Language, r.Category, r.Tags, Parameters(r.Parameters), r.IsActive),
            r => new ScriptInput(r.Name, r.Description, r.Content, r.Language, r.Category, r.Tags, Parameters(r.Parameters), r.IsActive));

    private static List<ScriptParameter>? Parameters(IReadOnlyList<ScriptParameterRequest>? parameters) =>
        parameters?.Select(p => new ScriptParameter(p.Name, p.Description, p.Default, p.Required, p.Secret)).ToList();

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record ScriptParameterRequest(string Name, string? Description = null, string? Default = null, bool Required = false, bool Secret = false);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record CreateScriptRequest(
        string Name,
        string Content,
        string Language,
        string? Description = null,
        string? Category = null,
        IReadOnlyList<string>? Tags = null,
        IReadOnlyList<ScriptParameterRequest>? Parameters = null,
        bool? IsActive = null);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record UpdateScriptRequest(
        string? Name = null,
        string? Content = null,
        string? Language = null,
        string? Description = null,
        string? Category = null,
        IReadOnlyList<string>? Tags = null,
        IReadOnlyList<ScriptParameterRequest>? Parameters = null,
        bool? IsActive = null);
}
