namespace NodeOps.Functions.SignalR;

/// <summary>
/// An Azure SignalR Service connection string: "Endpoint=https://name.service.signalr.net;AccessKey=…;Version=1.0;"
/// (Port=… optional). The access key signs the tokens NodeOps mints for the REST API and for clients.
/// </summary>
internal sealed record SignalRServiceEndpoint(Uri Endpoint, string AccessKey)
{
    public static SignalRServiceEndpoint Parse(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Endpoint", out var endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new FormatException("SignalR:ConnectionString needs Endpoint=https://<name>.service.signalr.net.");
        }

        if (!parts.TryGetValue("AccessKey", out var accessKey) || accessKey.Length == 0)
        {
            throw new FormatException("SignalR:ConnectionString needs AccessKey=… in serverless mode (the key from the service's Keys blade or Key Vault).");
        }

        if (parts.TryGetValue("Port", out var port))
        {
            if (!int.TryParse(port, out var number) || number is < 1 or > 65535)
            {
                throw new FormatException("SignalR:ConnectionString Port must be between 1 and 65535.");
            }

            uri = new UriBuilder(uri) { Port = number }.Uri;
        }

        return new SignalRServiceEndpoint(new Uri(uri.GetLeftPart(UriPartial.Authority)), accessKey);
    }

    /// <summary>Where clients connect, and the audience of their access tokens.</summary>
    public string ClientUrl => $"{Base}/client/?hub={SignalROptions.HubName}";

    /// <summary>A data-plane REST path under /api/hubs/{hub}, without the query (the token audience).</summary>
    public string RestUrl(string pathUnderHub) => $"{Base}/api/hubs/{SignalROptions.HubName}{pathUnderHub}";

    private string Base => Endpoint.GetLeftPart(UriPartial.Authority);

    public override string ToString() => Endpoint.ToString();
}
