namespace NodeOps.Storage.Azure;

/// <summary>
/// The parts of an Azure Storage connection string that NodeOps uses (the table store uses tables; the Durable Task
/// hub uses queues, tables and blobs), and the way it signs in. With an AccountKey
/// requests are signed with the key (Azure, or Azurite through UseDevelopmentStorage=true); without one NodeOps
/// signs in with a token credential (the managed identity in Azure). Parsing fails with a message that names the
/// missing or malformed part and never repeats the account key.
/// </summary>
public sealed class StorageConnectionString
{
    /// <summary>Azurite's published development account (documented, not a secret).</summary>
    public const string DevelopmentAccount = "devstoreaccount1";

    public const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StorageConnectionString(string? accountName, string? accountKey, Uri tableEndpoint, Uri queueEndpoint, Uri blobEndpoint)
    {
        AccountName = accountName;
        AccountKey = accountKey;
        TableEndpoint = tableEndpoint;
        QueueEndpoint = queueEndpoint;
        BlobEndpoint = blobEndpoint;
    }

    /// <summary>Null when only explicit endpoints were given (token sign-in needs no account name).</summary>
    public string? AccountName { get; }

    /// <summary>The base64 account key; null means "sign in with a token credential".</summary>
    internal string? AccountKey { get; }

    public Uri TableEndpoint { get; }

    public Uri QueueEndpoint { get; }

    public Uri BlobEndpoint { get; }

    public bool UsesTokenCredential => AccountKey is null;

    public static StorageConnectionString Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new FormatException("Storage:ConnectionString is required when Storage:Provider is AzureStorage.");
        }

        var parts = Split(connectionString);
        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var useDev) && useDev)
        {
            var proxy = parts.TryGetValue("DevelopmentStorageProxyUri", out var p) ? p.TrimEnd('/') : "http://127.0.0.1";
            return new StorageConnectionString(
                DevelopmentAccount,
                DevelopmentKey,
                Endpoint($"{proxy}:10002/{DevelopmentAccount}", "DevelopmentStorageProxyUri"),
                Endpoint($"{proxy}:10001/{DevelopmentAccount}", "DevelopmentStorageProxyUri"),
                Endpoint($"{proxy}:10000/{DevelopmentAccount}", "DevelopmentStorageProxyUri"));
        }

        if (parts.ContainsKey("SharedAccessSignature"))
        {
            throw Malformed("SharedAccessSignature is not supported; give AccountKey, or leave it out to sign in with the managed identity");
        }

        var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        if (protocol is not ("https" or "http"))
        {
            throw Malformed("DefaultEndpointsProtocol must be http or https");
        }

        parts.TryGetValue("AccountName", out var account);
        account = string.IsNullOrEmpty(account) ? null : account;
        var hasKey = parts.TryGetValue("AccountKey", out var key);
        if (hasKey)
        {
            EnsureValidKey(account, key!);
        }

        var suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        var table = ExplicitOrDerived(parts, "TableEndpoint", account, protocol, "table", suffix);
        var queue = ExplicitOrDerived(parts, "QueueEndpoint", account, protocol, "queue", suffix);
        var blob = ExplicitOrDerived(parts, "BlobEndpoint", account, protocol, "blob", suffix);
        if (!hasKey)
        {
            // A bearer token is only ever sent over TLS; the SDK refuses otherwise, so say it at start-up.
            foreach (var (name, endpoint) in new[] { ("TableEndpoint", table), ("QueueEndpoint", queue), ("BlobEndpoint", blob) })
            {
                if (endpoint.Scheme != Uri.UriSchemeHttps)
                {
                    throw Malformed($"{name} must be https when signing in with a token (no AccountKey)");
                }
            }
        }

        return new StorageConnectionString(account, hasKey ? key : null, table, queue, blob);
    }

    private static void EnsureValidKey(string? account, string key)
    {
        if (account is null)
        {
            throw Malformed("AccountName is missing (an AccountKey signs for a named account)");
        }

        if (key.Length == 0)
        {
            throw Malformed("AccountKey is empty; leave it out to sign in with the managed identity");
        }

        try
        {
            _ = Convert.FromBase64String(key);
        }
        catch (FormatException)
        {
            throw Malformed("AccountKey is not valid base64");
        }
    }

    private static Dictionary<string, string> Split(string connectionString)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = segment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Malformed("every part must look like Name=Value");
            }

            parts[segment[..equals].Trim()] = segment[(equals + 1)..].Trim();
        }

        return parts;
    }

    private static Uri ExplicitOrDerived(
        Dictionary<string, string> parts, string name, string? account, string protocol, string service, string suffix)
    {
        if (parts.TryGetValue(name, out var text))
        {
            return Endpoint(text, name);
        }

        return account is null
            ? throw Malformed($"{name} is missing; give AccountName, or TableEndpoint, QueueEndpoint and BlobEndpoint")
            : Endpoint($"{protocol}://{account}.{service}.{suffix}", name);
    }

    /// <summary>Without a trailing slash: the SDK appends "/{table}" itself, and "//" would be a different path.</summary>
    private static Uri Endpoint(string text, string name)
    {
        text = text.TrimEnd('/');
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw Malformed($"{name} is not an http(s) URL");
    }

    private static FormatException Malformed(string reason) => new($"Storage:ConnectionString is malformed: {reason}.");

    public override string ToString() =>
        $"AccountName={AccountName};TableEndpoint={TableEndpoint};QueueEndpoint={QueueEndpoint};BlobEndpoint={BlobEndpoint};Credential={(UsesTokenCredential ? "token" : "account key")}";
}
