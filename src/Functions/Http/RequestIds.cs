using System.Text.RegularExpressions;

namespace NodeOps.Functions.Http;

/// <summary>Every response carries X-Request-ID: the caller's when it is sane, else a new one.</summary>
internal static partial class RequestIds
{
    public const string Header = "X-Request-ID";
    private const string ItemKey = "nodeops.request_id";

    public static string Get(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(ItemKey, out var existing) && existing is string id)
        {
            return id;
        }

        var incoming = context.Request.Headers[Header].ToString();
        id = incoming.Length is > 0 and <= 128 && SafeId().IsMatch(incoming) ? incoming : "req_" + Guid.NewGuid().ToString("N");
        context.Items[ItemKey] = id;
        return id;
    }

    public static void Apply(HttpContext context) => context.Response.Headers[Header] = Get(context);

    /// <summary>Middleware: set the header before anything else can write the response.</summary>
    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        Apply(context);
        return next(context);
    });

    // Echoing arbitrary header text back would allow response splitting or log forging.
    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex SafeId();
}
