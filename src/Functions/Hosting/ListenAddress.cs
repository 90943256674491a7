using Microsoft.Extensions.Options;

namespace NodeOps.Functions.Hosting;

/// <summary>
/// Decides where Kestrel listens. From strongest to weakest: FUNCTIONS_CUSTOMHANDLER_PORT (the Functions host
/// forwards there, so nothing may move it); Kestrel:Endpoints; ASP.NET Core's "urls" setting (--urls,
/// ASPNETCORE_URLS, DOTNET_URLS); NodeOps's own Host:Url, which appsettings.json always carries, so it is the default
/// rather than an override of the framework's conventions.
/// </summary>
internal static class ListenAddress
{
    private const string CustomHandlerPortKey = "FUNCTIONS_CUSTOMHANDLER_PORT";
    private const string KestrelEndpointsKey = "Kestrel:Endpoints";

    public static void Configure(WebApplicationBuilder builder, NodeOpsHostOptions hostOptions)
    {
        var configuration = builder.Configuration;
        var customHandlerPort = configuration[CustomHandlerPortKey];
        if (!string.IsNullOrEmpty(customHandlerPort))
        {
            if (!int.TryParse(customHandlerPort, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw Invalid($"{CustomHandlerPortKey} '{customHandlerPort}' is not a port (1-65535).");
            }

            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            // Endpoints from the Kestrel section would otherwise be bound beside (and instead of) the port the host forwards to.
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Configure(new ConfigurationBuilder().Build()));
            return;
        }

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
