using System.Text.Json.Serialization;
using NodeOps.Catalog;
using NodeOps.Features;

namespace NodeOps.Functions.Apis;

/// <summary>Ansible playbooks: the catalog's route shape (<see cref="CatalogItemsApi"/>) with the playbook request bodies.</summary>
internal static class PlaybooksApi
{
    public static RouteGroupBuilder MapPlaybooksApi(this IEndpointRouteBuilder routes) =>
        routes.MapCatalogItems<PlaybookService, Playbook, Playbook, PlaybookVersion, PlaybookInput, CreatePlaybookRequest, UpdatePlaybookRequest>(
            new CatalogItemsRoute("/api/v1/automation/ansible/playbooks", "Playbooks", Capability.Ansible, "playbooks"),
            r => new PlaybookInput(r.Name, r.Description, r.Content, r.Category, r.Tags, r.IsActive),
            r => new PlaybookInput(r.Name, r.Description, r.Content, r.Category, r.Tags, r.IsActive));

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record CreatePlaybookRequest(
        string Name, string Content, string? Description = null, string? Category = null, IReadOnlyList<string>? Tags = null, bool? IsActive = null);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record UpdatePlaybookRequest(
        string? Name = null, string? Description = null, string? Content = null, string? Category = null, IReadOnlyList<string>? Tags = null, bool? IsActive = null);
}
