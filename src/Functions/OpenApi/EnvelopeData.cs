namespace NodeOps.Functions.OpenApi;

/// <summary>
/// Endpoint metadata: the type of the success envelope's <c>data</c> and the status it comes with. A list's data is
/// {total, page, page_size, &lt;itemsProperty&gt;: [T]} (page fields only when <c>Paged</c>), named per route.
/// </summary>
internal sealed record EnvelopeDataMetadata(Type DataType, int StatusCode, string? ItemsProperty = null, bool Paged = false);

internal static class EnvelopeData
{
    /// <summary>Documents the route's success answer as {code, message, data: T}; handlers keep returning <c>Envelope.Ok</c>.</summary>
    public static RouteHandlerBuilder ProducesData<T>(this RouteHandlerBuilder builder, int statusCode = StatusCodes.Status200OK) =>
        builder.WithMetadata(new EnvelopeDataMetadata(typeof(T), statusCode));

    /// <summary>For a list route: data is {total, page, page_size, itemsProperty: [T]}, as <c>Paging</c> lists answer.</summary>
    public static RouteHandlerBuilder ProducesPage<T>(this RouteHandlerBuilder builder, string itemsProperty) =>
        builder.WithMetadata(new EnvelopeDataMetadata(typeof(T), StatusCodes.Status200OK, itemsProperty, Paged: true));

    /// <summary>For an unpaged list route: data is {total, itemsProperty: [T]}.</summary>
    public static RouteHandlerBuilder ProducesList<T>(this RouteHandlerBuilder builder, string itemsProperty) =>
        builder.WithMetadata(new EnvelopeDataMetadata(typeof(T), StatusCodes.Status200OK, itemsProperty));

    /// <summary>For a route that answers 201 Created with {code, message, data: T}.</summary>
    public static RouteHandlerBuilder CreatesData<T>(this RouteHandlerBuilder builder) => builder.ProducesData<T>(StatusCodes.Status201Created);
}
