using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace NodeOps.Storage.Azure;

/// <summary>
/// The wire format of an entity group transaction: one multipart/mixed $batch holding one changeset of
/// HTTP requests, and the multipart answer that holds either one response per operation or the one that failed.
/// </summary>
internal static partial class AzureTableBatch
{
    /// <summary>One sub-response of a batch answer.</summary>
    public sealed record SubResponse(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, string Body);

    public static ByteArrayContent BuildContent(string tableUrl, IReadOnlyList<TableOperation> operations, Func<TableEntity, string> entityUrl)
    {
        var batch = "batch_" + Guid.NewGuid().ToString("D");
        var changeset = "changeset_" + Guid.NewGuid().ToString("D");
        var body = new StringBuilder();
        body.Append("--").Append(batch).Append("\r\n")
            .Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append("\r\n\r\n");
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            var (method, url, json, ifMatch) = operation.Kind switch
            {
                TableOperationKind.Insert => ("POST", tableUrl, true, null),
                TableOperationKind.Replace => ("PUT", entityUrl(operation.Entity), true, operation.ETag ?? "*"),
                TableOperationKind.Merge => ("MERGE", entityUrl(operation.Entity), true, operation.ETag ?? "*"),
                TableOperationKind.Upsert => ("PUT", entityUrl(operation.Entity), true, (string?)null),
                TableOperationKind.Delete => ("DELETE", entityUrl(operation.Entity), false, operation.ETag ?? "*"),
                _ => throw new ArgumentOutOfRangeException(nameof(operations)),
            };

            body.Append("--").Append(changeset).Append("\r\n")
                .Append("Content-Type: application/http\r\n")
                .Append("Content-Transfer-Encoding: binary\r\n")
                // 1-based like Azurite's own numbering, so the index can be read back either way.
                .Append("Content-ID: ").Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n")
                .Append(method).Append(' ').Append(url).Append(" HTTP/1.1\r\n")
                .Append("Accept: application/json;odata=minimalmetadata\r\n")
                .Append("DataServiceVersion: 3.0\r\n");
            if (ifMatch is not null)
            {
                body.Append("If-Match: ").Append(ifMatch).Append("\r\n");
            }

            if (json)
            {
                body.Append("Content-Type: application/json\r\n");
                if (operation.Kind == TableOperationKind.Insert)
                {
                    body.Append("Prefer: return-no-content\r\n");
                }

                body.Append("\r\n").Append(Encoding.UTF8.GetString(AzureEntityJson.Serialize(operation.Entity))).Append("\r\n");
            }
            else
            {
                body.Append("\r\n");
            }
        }

        body.Append("--").Append(changeset).Append("--\r\n")
            .Append("--").Append(batch).Append("--\r\n");
        return AzureRequestSender.Content(Encoding.UTF8.GetBytes(body.ToString()), "multipart/mixed; boundary=" + batch);
    }

    /// <summary>Reads the HTTP responses inside a batch answer, in order; boundaries and part headers are skipped.</summary>
    public static IReadOnlyList<SubResponse> Parse(string answer)
    {
        var lines = answer.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var responses = new List<SubResponse>();
        for (var i = 0; i < lines.Length; i++)
        {
            var statusLine = StatusLineRegex().Match(lines[i]);
            if (!statusLine.Success)
            {
                continue;
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (i++; i < lines.Length && lines[i].Length > 0; i++)
            {
                var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    headers[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
                }
            }

            var body = new StringBuilder();
            for (i++; i < lines.Length && !lines[i].StartsWith("--", StringComparison.Ordinal); i++)
            {
                body.Append(lines[i]).Append('\n');
            }

            i--;
            responses.Add(new SubResponse(
                (HttpStatusCode)int.Parse(statusLine.Groups[1].Value, CultureInfo.InvariantCulture), headers, body.ToString().Trim()));
        }

        return responses;
    }

    /// <summary>
    /// The index of the operation a failed sub-response belongs to: the service prefixes the error message with
    /// "index:"; the Content-ID we sent (1-based) is the fallback. -1 when neither is present.
    /// </summary>
    public static int FailedIndex(SubResponse failure, string? message, int operationCount)
    {
        if (message is not null)
        {
            var prefix = IndexPrefixRegex().Match(message);
            if (prefix.Success && int.TryParse(prefix.Groups[1].Value, CultureInfo.InvariantCulture, out var index) && index < operationCount)
            {
                return index;
            }
        }

        if (failure.Headers.TryGetValue("Content-ID", out var contentId) &&
            int.TryParse(contentId, CultureInfo.InvariantCulture, out var id) && id >= 1 && id <= operationCount)
        {
            return id - 1;
        }

        return operationCount == 1 ? 0 : -1;
    }

    [GeneratedRegex(@"^HTTP/1\.[01] (\d{3})")]
    private static partial Regex StatusLineRegex();

    [GeneratedRegex(@"^\s*(\d+):")]
    private static partial Regex IndexPrefixRegex();
}
