using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NodeOps.Functions.OpenApi;

namespace NodeOps.Functions.SignalR;

/// <summary>
/// Puts the progress hub in the OpenAPI document: its routes come from MapHub, which the document generator does not
/// describe, and the document maps the whole surface. The hub speaks the SignalR protocol after negotiate.
/// </summary>
internal sealed class ProgressHubOpenApi : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Paths ??= [];
        var error = WireSchemas.Reference(WireSchemas.AutomationError, document);
        document.Paths[SignalROptions.HubPath + "/negotiate"] = Path(HttpMethod.Post, error,
            "SignalR negotiate for the progress hub (viewer and up; JWT, access_token query or X-API-Key); 401 without a credential.",
            "The SignalR negotiate answer (connectionId, connectionToken, negotiateVersion, availableTransports)");
        document.Paths[SignalROptions.HubPath] = Path(HttpMethod.Get, error,
            "The progress hub connection (SignalR protocol). Client methods Subscribe(taskId) and Unsubscribe(taskId); the server sends `progress` messages whose payload is the progress WebSocket's event JSON.",
            "SignalR protocol frames");
        return Task.CompletedTask;
    }

    private static OpenApiPathItem Path(HttpMethod method, IOpenApiSchema error, string summary, string success) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [method] = new()
            {
                Summary = summary,
                Tags = new HashSet<OpenApiTagReference> { new("Progress") },
                Responses = new OpenApiResponses
                {
                    ["200"] = Json("OK", WireSchemas.OpenObject(success)),
                    ["400"] = Json("Not a SignalR request", error),
                    ["401"] = Json("Not signed in (Bearer token, access_token or X-API-Key)", error),
                    ["404"] = Json("Unknown connection", error),
                    ["500"] = Json("Unexpected error; nothing internal is revealed", error),
                },
            },
        },
    };

    private static OpenApiResponse Json(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { ["application/json"] = new() { Schema = schema } },
    };
}
