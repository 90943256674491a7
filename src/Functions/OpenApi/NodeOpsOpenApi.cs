namespace NodeOps.Functions.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json (signed in, viewer and up): request bodies from the handlers' bound
/// types, and for every operation its success body in the surface's shape and its error answers.
/// </summary>
internal static class NodeOpsOpenApi
{
    public static IServiceCollection AddNodeOpsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<WireSchemasTransformer>();
            options.AddDocumentTransformer<McpPathTransformer>();
            options.AddOperationTransformer<ResponsesTransformer>();
        });
}
