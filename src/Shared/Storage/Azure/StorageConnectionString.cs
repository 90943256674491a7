namespace NodeOps.Storage.Azure;

/// <summary>
/// The parts of an Azure Storage connection string that NodeOps uses. Parsing fails with a message that names
/// the missing or malformed part and never repeats the account key.
/// </summary>
public sealed record StorageConnectionString(string AccountName, byte[] AccountKey, Uri TableEndpoint, Uri QueueEndpoint)
{
    /// <summary>Azurite's published development account (documented, not a secret).</summary>
    public const string DevelopmentAccount = "devstoreaccount1";

    public const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static StorageConnectionString Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new FormatException("Storage:ConnectionString is required when Storage:Provider is AzureStorage.");
        }

        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = segment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException("Storage:ConnectionString is malformed: every part must look like Name=Value.");
            }

            parts[segment[..equals].Trim()] = segment[(equals + 1)..].Trim();
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var useDev) && useDev)
        {
            var proxy = parts.TryGetValue("DevelopmentStorageProxyUri", out var p) ? p.TrimEnd('/') : "http://127.0.0.1";
            return new StorageConnectionString(
                DevelopmentAccount,
                Convert.FromBase64String(DevelopmentKey),
                new Uri($"{proxy}:10002/{DevelopmentAccount}/"),
                new Uri($"{proxy}:10001/{DevelopmentAccount}/"));
        }

        var account = Required(parts, "AccountName");
        var keyText = Required(parts, "AccountKey");
        byte[] key;
        try
        {
            key = Convert.FromBase64String(keyText);
        }
        catch (FormatException)
        {
            throw new FormatException("Storage:ConnectionString is malformed: AccountKey is not valid base64.");
        }

        var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        if (protocol is not ("https" or "http"))
        {
            throw new FormatException("Storage:ConnectionString is malformed: DefaultEndpointsProtocol must be http or https.");
        }

        var suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        return new StorageConnectionString(
            account,
            key,
            Endpoint(parts, "TableEndpoint", $"{protocol}://{account}.table.{suffix}/"),
            Endpoint(parts, "QueueEndpoint", $"{protocol}://{account}.queue.{suffix}/"));
    }

    private static string Required(Dictionary<string, string> parts, string name) =>
        parts.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"Storage:ConnectionString is malformed: {name} is missing.");

    private static Uri Endpoint(Dictionary<string, string> parts, string name, string fallback)
    {
        var text = parts.GetValueOrDefault(name, fallback);
        if (!text.EndsWith('/'))
        {
            text += "/";
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new FormatException($"Storage:ConnectionString is malformed: {name} is not an http(s) URL.");
    }

    public override string ToString() => $"AccountName={AccountName};TableEndpoint={TableEndpoint};QueueEndpoint={QueueEndpoint}";
}
