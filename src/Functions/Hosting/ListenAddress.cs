using Microsoft.Extensions.Options;

namespace NodeOps.Functions.Hosting;

/// <summary>
/// Decides where the standalone host's Kestrel listens. From strongest to weakest: Kestrel:Endpoints; ASP.NET Core's
/// "urls" setting (--urls, ASPNETCORE_URLS, DOTNET_URLS); NodeOps's own Host:Url, which appsettings.json always
/// carries, so it is the default rather than an override of the framework's conventions. Under the Functions host
/// nothing listens: the worker's own server does (see AzureFunctions/InProcessServer).
/// </summary>
internal static class ListenAddress
{
    private const string KestrelEndpointsKey = "Kestrel:Endpoints";

    public static void Configure(WebApplicationBuilder builder, NodeOpsHostOptions hostOptions)
    {
        var configuration = builder.Configuration;
        if (configuration.GetSection(KestrelEndpointsKey).GetChildren().Any())
        {
            // Kestrel binds its configured endpoints itself and ignores every URL setting.
            return;
        }

        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        if (!string.IsNullOrWhiteSpace(urls))
        {
            // The host already took --urls / ASPNETCORE_URLS; it reports a malformed one at start with the value.
            return;
        }

        if (!Uri.TryCreate(hostOptions.Url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            throw Invalid($"Host:Url '{hostOptions.Url}' is not an http(s) URL.");
        }

        builder.WebHost.UseUrls(hostOptions.Url);
    }

    private static OptionsValidationException Invalid(string message) =>
        new(NodeOpsHostOptions.Section, typeof(NodeOpsHostOptions), [message]);
}
