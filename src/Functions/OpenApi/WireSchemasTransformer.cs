using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace NodeOps.Functions.OpenApi;

/// <summary>Adds the shared error and envelope schemas to the document's components.</summary>
internal sealed class WireSchemasTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        WireSchemas.Register(document);
        return Task.CompletedTask;
    }
}
