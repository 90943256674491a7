using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NodeOps.Functions.Hosting;

namespace NodeOps.Functions.OpenApi;

/// <summary>
/// Describes POST /api/v1/mcp, which the SDK maps as a plain request delegate the API explorer does not see: one
/// JSON-RPC 2.0 message in, its answer out (JSON or one server-sent event), and the REST surface's auth errors.
/// </summary>
internal sealed class McpPathTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var error = WireSchemas.Reference(WireSchemas.AutomationError, document);
        var operation = new OpenApiOperation
        {
            Summary = "NodeOps as an MCP server (streamable HTTP, stateless): tools/list, tools/call …",
            RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["application/json"] = new() { Schema = WireSchemas.OpenObject("One JSON-RPC 2.0 message of the MCP protocol") },
                },
            },
            Responses = new OpenApiResponses
            {
                ["200"] = ResponsesTransformer.Response("The JSON-RPC 2.0 answer (application/json, or one text/event-stream event)", WireSchemas.OpenObject("A JSON-RPC 2.0 answer")),
                ["400"] = ResponsesTransformer.Response("Not a JSON-RPC message of a supported protocol version", error),
                ["401"] = ResponsesTransformer.Response("Not signed in (Bearer token or X-API-Key)", error),
                ["403"] = ResponsesTransformer.Response("The role is too low", error),
                ["404"] = ResponsesTransformer.Response("Unknown session or method", error),
                ["500"] = ResponsesTransformer.Response("Unexpected error; nothing internal is revealed", error),
            },
        };
        document.Paths ??= new OpenApiPaths();
        document.Paths[McpExtensions.Path] = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Post] = operation } };
        return Task.CompletedTask;
    }
}
