using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace NodeOps.Storage.Azure;

/// <summary>
/// Computes the SharedKey Authorization header from the account key. The key stays in this object:
/// nothing here formats it into a string, so it cannot reach an exception message or a log.
/// </summary>
internal sealed class AzureSharedKeySigner
{
    private readonly byte[] _key;

    public AzureSharedKeySigner(string accountName, byte[] accountKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountName);
        ArgumentNullException.ThrowIfNull(accountKey);
        AccountName = accountName;
        _key = (byte[])accountKey.Clone();
    }

    public string AccountName { get; }

    /// <summary>Signs a request that already carries its x-ms-date, x-ms-version and content headers.</summary>
    public void Sign(HttpRequestMessage request, AzureServiceKind service)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stringToSign = service == AzureServiceKind.Table ? TableStringToSign(request) : QueueStringToSign(request);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.Authorization = new AuthenticationHeaderValue("SharedKey", $"{AccountName}:{signature}");
    }

    public override string ToString() => $"SharedKey signer for account {AccountName}";

    // Table service SharedKey: VERB, Content-MD5, Content-Type, Date (the x-ms-date value), canonicalized resource.
    private string TableStringToSign(HttpRequestMessage request) => string.Join('\n',
        request.Method.Method,
        "",
        request.Content?.Headers.ContentType?.ToString() ?? "",
        Header(request, "x-ms-date"),
        CanonicalPath(request));

    // Blob/Queue SharedKey: the standard headers (Content-Length empty when zero), the x-ms-* headers, then the resource with its query.
    private string QueueStringToSign(HttpRequestMessage request)
    {
        var length = request.Content?.Headers.ContentLength;
        var builder = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append('\n') // Content-Encoding
            .Append('\n') // Content-Language
            .Append(length is null or 0 ? "" : length.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n')
            .Append('\n') // Content-MD5
            .Append(request.Content?.Headers.ContentType?.ToString() ?? "").Append('\n')
            .Append('\n') // Date: x-ms-date is used instead
            .Append('\n') // If-Modified-Since
            .Append(Header(request, "If-Match")).Append('\n')
            .Append('\n') // If-None-Match
            .Append('\n') // If-Unmodified-Since
            .Append('\n'); // Range

        foreach (var header in request.Headers
            .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(',', h.Value).Trim()))
            .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(header.Name).Append(':').Append(header.Value).Append('\n');
        }

        builder.Append(CanonicalPath(request));
        foreach (var parameter in QueryParameters(request.RequestUri!)
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            builder.Append('\n').Append(parameter.Key).Append(':')
                .Append(string.Join(',', parameter.Select(p => p.Value).Order(StringComparer.Ordinal)));
        }

        return builder.ToString();
    }

    // The path exactly as sent (still percent-encoded), prefixed with the account as the services expect.
    private string CanonicalPath(HttpRequestMessage request) => "/" + AccountName + request.RequestUri!.AbsolutePath;

    private static IEnumerable<(string Name, string Value)> QueryParameters(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            yield break;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            yield return (Uri.UnescapeDataString(name).ToLowerInvariant(), Uri.UnescapeDataString(value));
        }
    }

    private static string Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? string.Join(',', values) : "";
}
