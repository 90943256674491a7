using System.Text.Json.Serialization;
using NodeOps.Catalog;
using NodeOps.Features;
using NodeOps.Workflows;

namespace NodeOps.Functions.Apis;

/// <summary>Workflow definitions: the catalog's route shape (<see cref="CatalogItemsApi"/>) with the workflow request bodies.</summary>
internal static class WorkflowsApi
{
    public static RouteGroupBuilder MapWorkflowsApi(this IEndpointRouteBuilder routes) =>
        routes.MapCatalogItems<WorkflowService, Workflow, WorkflowSummary, WorkflowVersion, WorkflowInput, CreateWorkflowRequest, UpdateWorkflowRequest>(
            new CatalogItemsRoute("/api/v1/automation/workflows", "Workflows", Capability.Workflows, "workflows"),
            r => new WorkflowInput(r.Name, r.Description, r.Category, r.Tags, r.Definition, r.IsActive),
            r => new WorkflowInput(r.Name, r.Description, r.Category, r.Tags, r.Definition, r.IsActive));

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record CreateWorkflowRequest(
        string Name, WorkflowDefinition Definition, string? Description = null, string? Category = null, IReadOnlyList<string>? Tags = null, bool? IsActive = null);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record UpdateWorkflowRequest(
        string? Name = null, WorkflowDefinition? Definition = null, string? Description = null, string? Category = null, IReadOnlyList<string>? Tags = null, bool? IsActive = null);
}
