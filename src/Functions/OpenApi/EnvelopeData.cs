namespace NodeOps.Functions.OpenApi;

/// <summary>Endpoint metadata: the type of the success envelope's <c>data</c> and the status it comes with.</summary>
internal sealed record EnvelopeDataMetadata(Type DataType, int StatusCode);

internal static class EnvelopeData
{
    /// <summary>Documents the route's success answer as {code, message, data: T}; handlers keep returning <c>Envelope.Ok</c>.</summary>
    public static RouteHandlerBuilder ProducesData<T>(this RouteHandlerBuilder builder, int statusCode = StatusCodes.Status200OK) =>
        builder.WithMetadata(new EnvelopeDataMetadata(typeof(T), statusCode));

    /// <summary>For a route that answers 201 Created with {code, message, data: T}.</summary>
    public static RouteHandlerBuilder CreatesData<T>(this RouteHandlerBuilder builder) => builder.ProducesData<T>(StatusCodes.Status201Created);
}
