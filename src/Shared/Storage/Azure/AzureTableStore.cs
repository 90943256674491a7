using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace NodeOps.Storage.Azure;

/// <summary>
/// The table-store port over the Azure Table service REST API (JSON). It speaks the same protocol to Azure and
/// to Azurite. Tables are created when a write finds them missing, so callers never provision tables.
/// </summary>
internal sealed class AzureTableStore : ITableStore
{
    private const string JsonContentType = "application/json";

    // Full metadata makes the service annotate every typed value, so doubles and integers are told apart on read.
    private const string AcceptFullMetadata = "application/json;odata=fullmetadata";

    private readonly AzureRequestSender _sender;
    private readonly AzureResourceNames _names;
    private readonly ILogger<AzureTableStore> _logger;
    private readonly string _baseUrl;

    private readonly AzureResourceCreator _tables;

    public AzureTableStore(AzureRequestSender sender, Uri tableEndpoint, AzureResourceNames names, ILogger<AzureTableStore> logger)
    {
        ArgumentNullException.ThrowIfNull(tableEndpoint);
        _sender = sender;
        _names = names;
        _logger = logger;
        _baseUrl = tableEndpoint.AbsoluteUri.EndsWith('/') ? tableEndpoint.AbsoluteUri : tableEndpoint.AbsoluteUri + "/";
        _tables = new AzureResourceCreator(SendCreateTableAsync);
    }

    public async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        var name = _names.Table(table);
        var url = EntityUrl(name, partitionKey, rowKey);
        using var response = await _sender.SendAsync(AzureServiceKind.Table, "get entity", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", AcceptFullMetadata);
            return request;
        }, cancellationToken).ConfigureAwait(false);

        // A missing table holds no entity; reads never create tables.
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await AzureError.ThrowIfFailedAsync(response, "get entity", cancellationToken).ConfigureAwait(false);
        using var document = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        return AzureEntityJson.Deserialize(document.RootElement, ETagOf(response));
    }

    public async Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var name = _names.Table(table);
        var body = AzureEntityJson.Serialize(entity);
        using var response = await SendWriteAsync(name, "insert entity", createTable: true, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, _baseUrl + name) { Content = AzureRequestSender.Content(body, JsonContentType) };
            request.Headers.TryAddWithoutValidation("Accept", AcceptFullMetadata);
            request.Headers.TryAddWithoutValidation("Prefer", "return-no-content");
            return request;
        }, cancellationToken).ConfigureAwait(false);

        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new EntityAlreadyExistsException(table, entity.PartitionKey, entity.RowKey);
        }

        await AzureError.ThrowIfFailedAsync(response, "insert entity", cancellationToken).ConfigureAwait(false);
        return Written(entity, response);
    }

    public Task<string> ReplaceAsync(string table, TableEntity entity, string? etag, CancellationToken cancellationToken = default) =>
        UpdateAsync(table, entity, HttpMethod.Put, etag ?? "*", "replace entity", cancellationToken);

    public Task<string> MergeAsync(string table, TableEntity entity, string? etag, CancellationToken cancellationToken = default) =>
        UpdateAsync(table, entity, new HttpMethod("MERGE"), etag ?? "*", "merge entity", cancellationToken);

    /// <summary>A PUT without If-Match is the service's insert-or-replace.</summary>
    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken = default) =>
        UpdateAsync(table, entity, HttpMethod.Put, ifMatch: null, "upsert entity", cancellationToken);

    public async Task DeleteAsync(string table, string partitionKey, string rowKey, string? etag, CancellationToken cancellationToken = default)
    {
        var name = _names.Table(table);
        var url = EntityUrl(name, partitionKey, rowKey);
        using var response = await _sender.SendAsync(AzureServiceKind.Table, "delete entity", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Delete, url);
            request.Headers.TryAddWithoutValidation("Accept", AcceptFullMetadata);
            request.Headers.TryAddWithoutValidation("If-Match", etag ?? "*");
            return request;
        }, cancellationToken).ConfigureAwait(false);

        ThrowIfMissingOrChanged(response.StatusCode, table, partitionKey, rowKey, etag);
        await AzureError.ThrowIfFailedAsync(response, "delete entity", cancellationToken).ConfigureAwait(false);
    }

    public async Task<TablePage> QueryAsync(string table, TableQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var name = _names.Table(table);
        var url = new StringBuilder(_baseUrl).Append(name).Append("()?$top=")
            .Append(Math.Clamp(query.PageSize, 1, 1000).ToString(CultureInfo.InvariantCulture));
        if (AzureTableFilter.Build(query) is { } filter)
        {
            url.Append("&$filter=").Append(Uri.EscapeDataString(filter));
        }

        if (query.Continuation is not null)
        {
            var (nextPartition, nextRow) = ContinuationToken.Decode(query.Continuation);
            url.Append("&NextPartitionKey=").Append(Uri.EscapeDataString(nextPartition));
            if (nextRow.Length > 0)
            {
                url.Append("&NextRowKey=").Append(Uri.EscapeDataString(nextRow));
            }
        }

        var requestUrl = url.ToString();
        using var response = await _sender.SendAsync(AzureServiceKind.Table, "query entities", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, requestUrl);
            request.Headers.TryAddWithoutValidation("Accept", AcceptFullMetadata);
            return request;
        }, cancellationToken).ConfigureAwait(false);

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return new TablePage([], null);
        }

        await AzureError.ThrowIfFailedAsync(response, "query entities", cancellationToken).ConfigureAwait(false);
        using var document = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        var entities = document.RootElement.GetProperty("value").EnumerateArray()
            .Select(e => AzureEntityJson.Deserialize(e))
            .ToList();

        // The service's next keys are opaque; they travel packed like the SQLite adapter's last keys.
        var next = HeaderValue(response, "x-ms-continuation-NextPartitionKey");
        var continuation = string.IsNullOrEmpty(next)
            ? null
            : ContinuationToken.Encode(next, HeaderValue(response, "x-ms-continuation-NextRowKey") ?? "");
        return new TablePage(entities, continuation);
    }

    public async Task<IReadOnlyList<string>> ExecuteBatchAsync(
        string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        BatchRules.EnsureValid(operations);
        var name = _names.Table(table);
        var tableUrl = _baseUrl + name;
        for (var attempt = 0; ; attempt++)
        {
            using var response = await _sender.SendAsync(AzureServiceKind.Table, "entity group transaction", () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, _baseUrl + "$batch")
                {
                    Content = AzureTableBatch.BuildContent(tableUrl, operations, e => EntityUrl(name, e.PartitionKey, e.RowKey)),
                };
                request.Headers.TryAddWithoutValidation("Accept", AcceptFullMetadata);
                return request;
            }, cancellationToken).ConfigureAwait(false);

            await AzureError.ThrowIfFailedAsync(response, "entity group transaction", cancellationToken).ConfigureAwait(false);
            var answers = AzureTableBatch.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            var failure = answers.FirstOrDefault(a => (int)a.Status >= 300);
            if (failure is null && answers.Count == operations.Count)
            {
                var etags = new List<string>(operations.Count);
                for (var i = 0; i < operations.Count; i++)
                {
                    var etag = operations[i].Kind == TableOperationKind.Delete ? "" : answers[i].Headers.GetValueOrDefault("ETag", "");
                    if (etag.Length > 0)
                    {
                        operations[i].Entity.ETag = etag;
                        operations[i].Entity.Timestamp = TimestampOf(etag) ?? operations[i].Entity.Timestamp;
                    }

                    etags.Add(etag);
                }

                return etags;
            }

            if (failure is null)
            {
                throw new AzureStorageRequestException("entity group transaction",
                    new AzureError(response.StatusCode, "UnexpectedBatchResponse", $"{answers.Count} responses for {operations.Count} operations"));
            }

            var (code, message) = AzureError.Parse(failure.Body);
            if (code == "TableNotFound" && attempt == 0)
            {
                await _tables.CreateAsync(name, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var index = AzureTableBatch.FailedIndex(failure, message, operations.Count);
            var operation = index >= 0 ? operations[index] : null;
            throw new BatchFailedException(index, OperationFailure(table, operation, new AzureError(failure.Status, code, message)));
        }
    }

    private async Task<string> UpdateAsync(
        string table, TableEntity entity, HttpMethod method, string? ifMatch, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var name = _names.Table(table);
        var body = AzureEntityJson.Serialize(entity);
        var url = EntityUrl(name, entity.PartitionKey, entity.RowKey);

        // Only an upsert may create the table; the conditional writes fail on a missing table as on a missing entity.
        using var response = await SendWriteAsync(name, operation, createTable: ifMatch is null, () =>
        {
            var request = new HttpRequestMessage(method, url) { Content = AzureRequestSender.Content(body, JsonContentType) };
            request.Headers.TryAddWithoutValidation("Accept", AcceptFullMetadata);
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }

            return request;
        }, cancellationToken).ConfigureAwait(false);

        if (ifMatch is not null)
        {
            ThrowIfMissingOrChanged(response.StatusCode, table, entity.PartitionKey, entity.RowKey, ifMatch);
        }

        await AzureError.ThrowIfFailedAsync(response, operation, cancellationToken).ConfigureAwait(false);
        return Written(entity, response);
    }

    /// <summary>Sends a write; when the table is missing and the write may create it, creates the table and sends once more.</summary>
    private async Task<HttpResponseMessage> SendWriteAsync(
        string name, string operation, bool createTable, Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
    {
        var response = await _sender.SendAsync(AzureServiceKind.Table, operation, createRequest, cancellationToken).ConfigureAwait(false);
        if (!createTable || response.StatusCode != HttpStatusCode.NotFound)
        {
            return response;
        }

        var error = await AzureError.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        if (error.Code != "TableNotFound")
        {
            return response;
        }

        response.Dispose();
        await _tables.CreateAsync(name, cancellationToken).ConfigureAwait(false);
        return await _sender.SendAsync(AzureServiceKind.Table, operation, createRequest, cancellationToken).ConfigureAwait(false);
    }

    // Not cancellable by one caller: other callers may be waiting for the same creation.
    private async Task SendCreateTableAsync(string name)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = name });
        using var response = await _sender.SendAsync(AzureServiceKind.Table, "create table", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, _baseUrl + "Tables") { Content = AzureRequestSender.Content(body, JsonContentType) };
            request.Headers.TryAddWithoutValidation("Accept", "application/json;odata=nometadata");
            request.Headers.TryAddWithoutValidation("Prefer", "return-no-content");
            return request;
        }, CancellationToken.None).ConfigureAwait(false);

        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return; // Someone else created it first.
        }

        await AzureError.ThrowIfFailedAsync(response, "create table", CancellationToken.None).ConfigureAwait(false);
        AzureStorageLog.CreatedResource(_logger, AzureServiceKind.Table, name);
    }

    /// <summary>The service says 404 for a conditional write on a missing entity; the port calls that a failed precondition.</summary>
    private static void ThrowIfMissingOrChanged(HttpStatusCode status, string table, string partitionKey, string rowKey, string? etag)
    {
        var conditional = etag is not null and not "*";
        if (status == HttpStatusCode.PreconditionFailed || (status == HttpStatusCode.NotFound && conditional))
        {
            throw new PreconditionFailedException(table, partitionKey, rowKey);
        }

        if (status == HttpStatusCode.NotFound)
        {
            throw new EntityNotFoundException(table, partitionKey, rowKey);
        }
    }

    private static TableStoreException OperationFailure(string table, TableOperation? operation, AzureError error)
    {
        if (operation is not null)
        {
            var entity = operation.Entity;
            switch (error.Status)
            {
                case HttpStatusCode.Conflict when operation.Kind == TableOperationKind.Insert:
                    return new EntityAlreadyExistsException(table, entity.PartitionKey, entity.RowKey);
                case HttpStatusCode.PreconditionFailed:
                    return new PreconditionFailedException(table, entity.PartitionKey, entity.RowKey);
                case HttpStatusCode.NotFound when operation.ETag is not null and not "*":
                    return new PreconditionFailedException(table, entity.PartitionKey, entity.RowKey);
                case HttpStatusCode.NotFound:
                    return new EntityNotFoundException(table, entity.PartitionKey, entity.RowKey);
            }
        }

        return new AzureStorageRequestException("entity group transaction", error);
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Written(TableEntity entity, HttpResponseMessage response)
    {
        var etag = ETagOf(response) ?? throw new AzureStorageRequestException("write entity",
            new AzureError(response.StatusCode, "MissingETag", "The service answered a write without an ETag"));
        entity.ETag = etag;
        entity.Timestamp = TimestampOf(etag) ?? entity.Timestamp;
        return etag;
    }

    private static string? ETagOf(HttpResponseMessage response) => HeaderValue(response, "ETag");

    private static string? HeaderValue(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>The service's ETags embed the entity's timestamp: W/"datetime'2024-01-02T03%3A04%3A05.1234567Z'".</summary>
    private static DateTimeOffset? TimestampOf(string etag)
    {
        const string marker = "datetime'";
        var start = etag.IndexOf(marker, StringComparison.Ordinal);
        var end = start < 0 ? -1 : etag.IndexOf('\'', start + marker.Length);
        return end > start && DateTimeOffset.TryParse(
            Uri.UnescapeDataString(etag[(start + marker.Length)..end]),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var timestamp)
            ? timestamp
            : null;
    }

    /// <summary>
    /// The entity's address: Table(PartitionKey='..',RowKey='..'). Quotes inside a key are doubled (OData string
    /// syntax), then the key is percent-encoded so spaces, '%', '+', '&amp;' and non-ASCII survive the URL.
    /// </summary>
    private string EntityUrl(string name, string partitionKey, string rowKey)
    {
        TableNames.EnsureValidKey(partitionKey, nameof(partitionKey));
        TableNames.EnsureValidKey(rowKey, nameof(rowKey));
        return $"{_baseUrl}{name}(PartitionKey='{EscapeKey(partitionKey)}',RowKey='{EscapeKey(rowKey)}')";
    }

    private static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));
}
