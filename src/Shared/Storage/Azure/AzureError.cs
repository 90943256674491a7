using System.Net;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace NodeOps.Storage.Azure;

/// <summary>The error code and message of a failed answer, from the x-ms-error-code header or the JSON or XML body.</summary>
internal sealed record AzureError(HttpStatusCode Status, string? Code, string? Message)
{
    public static async Task<AzureError> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        var code = response.Headers.TryGetValues("x-ms-error-code", out var values) ? values.FirstOrDefault() : null;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var (bodyCode, message) = Parse(body);
        return new AzureError(response.StatusCode, code ?? bodyCode, message);
    }

    /// <summary>Throws <see cref="AzureStorageRequestException"/> for any answer that is not a success.</summary>
    public static async Task ThrowIfFailedAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.IsSuccessStatusCode)
        {
            throw new AzureStorageRequestException(operation, await ReadAsync(response, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Reads {"odata.error":{"code","message":{"value"}}} or &lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;.</summary>
    public static (string? Code, string? Message) Parse(string body)
    {
        var trimmed = body.TrimStart();
        try
        {
            if (trimmed.StartsWith('{'))
            {
                using var document = JsonDocument.Parse(trimmed);
                if (document.RootElement.TryGetProperty("odata.error", out var error))
                {
                    var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                    var message = error.TryGetProperty("message", out var m)
                        ? m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.ToString()
                        : null;
                    return (code, message);
                }
            }
            else if (trimmed.StartsWith('<'))
            {
                var root = XDocument.Parse(trimmed).Root;
                return (root?.Element("Code")?.Value, root?.Element("Message")?.Value);
            }
        }
        catch (JsonException)
        {
        }
        catch (XmlException)
        {
        }

        return (null, null);
    }

    public override string ToString() => $"HTTP {(int)Status} {Code}: {FirstLine(Message)}";

    // The services append "RequestId:... Time:..." lines; the first line is the human part.
    private static string FirstLine(string? message) =>
        message is null ? "" : message.Split('\n', 2)[0].Trim();
}
