using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NodeOps.Functions.Http;

namespace NodeOps.Functions.OpenApi;

/// <summary>
/// Replaces the generator's bare "200 OK" with what the route really answers: the success body in its surface's
/// shape (the automation envelope with the route's data type where declared with <see cref="EnvelopeData.ProducesData"/>)
/// and every error answer it can give, each in the surface's error shape.
/// </summary>
internal sealed class ResponsesTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var path = "/" + (description.RelativePath ?? "").TrimStart('/');
        var assistant = ApiSurfaces.Of(path) == ApiSurface.Assistant;
        var document = context.Document ?? throw new InvalidOperationException("The operation has no document.");
        var method = description.HttpMethod ?? "GET";
        var hasBody = metadata.OfType<IAcceptsMetadata>().Any();
        var signedIn = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();

        operation.Responses ??= new OpenApiResponses();
        var declared = metadata.OfType<EnvelopeDataMetadata>().LastOrDefault();
        var status = declared?.StatusCode ?? StatusCodes.Status200OK;
        IOpenApiSchema success;
        if (assistant)
        {
            success = WireSchemas.OpenObject("The assistant surface's answer, as in the assistant API document (response, session_id, status, metadata, timestamp …)");
        }
        else
        {
            IOpenApiSchema data = declared is null
                ? WireSchemas.OpenObject("The route's data, as in the automation API document")
                : declared.ItemsProperty is { } items
                    ? WireSchemas.List(items, await context.GetOrCreateSchemaAsync(declared.DataType, null, cancellationToken), declared.Paged)
                    : await context.GetOrCreateSchemaAsync(declared.DataType, null, cancellationToken);
            success = WireSchemas.Envelope(status, data);
        }

        operation.Responses.Remove("200");
        operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Response(status == 201 ? "Created" : "OK", success);

        var error = WireSchemas.Reference(assistant ? WireSchemas.AssistantError : WireSchemas.AutomationError, document);
        foreach (var (code, why) in Errors(method, hasBody, signedIn))
        {
            operation.Responses.TryAdd(code, Response(why, error));
        }
    }

    private static IEnumerable<(string Code, string Why)> Errors(string method, bool hasBody, bool signedIn)
    {
        yield return ("400", "Bad input: the field at fault is named, with the allowed values or range");
        if (signedIn)
        {
            yield return ("401", "Not signed in (Bearer token or X-API-Key)");
            yield return ("403", "The role is too low, or the feature switch is off");
        }

        yield return ("404", "The resource or route does not exist");
        if (method != "GET")
        {
            yield return ("409", "Conflicts with the current state");
        }

        if (hasBody)
        {
            yield return ("413", "The body is larger than Host:MaxRequestBodyBytes");
            yield return ("415", "The body is not application/json");
            yield return ("422", "Well-formed but invalid (validation failed)");
        }

        yield return ("429", "Too many requests; see Retry-After");
        yield return ("500", "Unexpected error; nothing internal is revealed");
        yield return ("503", "A dependency (storage, LLM provider, cluster) is unavailable or not configured");
    }

    internal static OpenApiResponse Response(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
        {
            ["application/json"] = new() { Schema = schema },
        },
    };
}
