using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using SdkEntity = Azure.Data.Tables.TableEntity;

namespace NodeOps.Storage.Azure;

/// <summary>
/// The table-store port over Azure.Data.Tables, against Azure or Azurite. Tables are created when a write finds them
/// missing, so callers never provision tables; reads of a missing table find nothing.
/// </summary>
internal sealed class AzureTableStore : ITableStore
{
    private readonly TableServiceClient _service;
    private readonly AzureResourceNames _names;
    private readonly ILogger<AzureTableStore> _logger;
    private readonly AzureResourceCreator _tables;

    public AzureTableStore(TableServiceClient service, AzureResourceNames names, ILogger<AzureTableStore> logger)
    {
        _service = service;
        _names = names;
        _logger = logger;
        _tables = new AzureResourceCreator(CreateTableAsync);
    }

    public async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        TableNames.EnsureValidKey(partitionKey, nameof(partitionKey));
        TableNames.EnsureValidKey(rowKey, nameof(rowKey));
        var client = Client(table);
        try
        {
            var response = await client.GetEntityIfExistsAsync<SdkEntity>(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.HasValue ? AzureTableEntities.FromSdk(response.Value!) : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null; // The table is missing: it holds no entity, and reads never create tables.
        }
        catch (Exception ex) when (AzureFailure.IsFailure(ex, cancellationToken))
        {
            throw AzureFailure.Other(ex, "get entity");
        }
    }

    public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken = default) =>
        WriteAsync(table, entity, TableOperationKind.Insert, etag: null,
            (client, sdk) => client.AddEntityAsync(sdk, cancellationToken), cancellationToken);

    public Task<string> ReplaceAsync(string table, TableEntity entity, string? etag, CancellationToken cancellationToken = default) =>
        WriteAsync(table, entity, TableOperationKind.Replace, etag,
            (client, sdk) => client.UpdateEntityAsync(sdk, IfMatch(etag), TableUpdateMode.Replace, cancellationToken), cancellationToken);

    public Task<string> MergeAsync(string table, TableEntity entity, string? etag, CancellationToken cancellationToken = default) =>
        WriteAsync(table, entity, TableOperationKind.Merge, etag,
            (client, sdk) => client.UpdateEntityAsync(sdk, IfMatch(etag), TableUpdateMode.Merge, cancellationToken), cancellationToken);

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken = default) =>
        WriteAsync(table, entity, TableOperationKind.Upsert, etag: null,
            (client, sdk) => client.UpsertEntityAsync(sdk, TableUpdateMode.Replace, cancellationToken), cancellationToken);

    public async Task DeleteAsync(string table, string partitionKey, string rowKey, string? etag, CancellationToken cancellationToken = default)
    {
        TableNames.EnsureValidKey(partitionKey, nameof(partitionKey));
        TableNames.EnsureValidKey(rowKey, nameof(rowKey));
        var client = Client(table);
        Response response;
        try
        {
            response = await client.DeleteEntityAsync(partitionKey, rowKey, IfMatch(etag), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (AzureFailure.IsFailure(ex, cancellationToken))
        {
            throw AzureFailure.ForEntity(ex, "delete entity", TableOperationKind.Delete, etag, table, partitionKey, rowKey);
        }

        // The SDK treats a missing entity as a successful delete; the port does not.
        if (response.Status == 404)
        {
            throw etag is not null and not "*"
                ? new PreconditionFailedException(table, partitionKey, rowKey)
                : new EntityNotFoundException(table, partitionKey, rowKey);
        }
    }

    public async Task<TablePage> QueryAsync(string table, TableQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var client = Client(table);
        var filter = AzureTableQueries.Filter(query);
        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        var continuation = AzureTableQueries.ToSdkContinuation(query.Continuation);
        try
        {
            var pages = client.QueryAsync<SdkEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuation, pageSize);
            await foreach (var page in pages.ConfigureAwait(false))
            {
                return new TablePage(
                    page.Values.Select(AzureTableEntities.FromSdk).ToList(),
                    AzureTableQueries.ToPortContinuation(page.ContinuationToken));
            }

            return new TablePage([], null);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new TablePage([], null);
        }
        catch (Exception ex) when (AzureFailure.IsFailure(ex, cancellationToken))
        {
            throw AzureFailure.Other(ex, "query entities");
        }
    }

    public async Task<IReadOnlyList<string>> ExecuteBatchAsync(
        string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        // At most 100 actions: a larger transaction fails on Azurite with a reply nobody can parse.
        BatchRules.EnsureValid(operations);
        var client = Client(table);
        var actions = operations.Select(ToAction).ToList();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var responses = (await client.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false)).Value;
                var etags = new List<string>(operations.Count);
                for (var i = 0; i < operations.Count; i++)
                {
                    etags.Add(operations[i].Kind == TableOperationKind.Delete || responses[i].Headers.ETag is not { } etag
                        ? ""
                        : AzureTableEntities.Written(operations[i].Entity, etag.ToString()));
                }

                return etags;
            }
            catch (TableTransactionFailedException ex) when (ex.ErrorCode == "TableNotFound" && attempt == 0)
            {
                await _tables.CreateAsync(client.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException ex)
            {
                var index = ex.FailedTransactionActionIndex ?? -1;
                var cause = index >= 0 && index < operations.Count
                    ? AzureFailure.ForEntity(ex, "entity group transaction", operations[index].Kind, operations[index].ETag, table,
                        operations[index].Entity.PartitionKey, operations[index].Entity.RowKey)
                    : AzureFailure.Other(ex, "entity group transaction");
                throw new BatchFailedException(index, cause);
            }
            catch (Exception ex) when (AzureFailure.IsFailure(ex, cancellationToken))
            {
                throw AzureFailure.Other(ex, "entity group transaction");
            }
        }
    }

    /// <summary>
    /// Sends one write; when the table is missing and the write may create it (insert and upsert), creates the table
    /// and sends once more. Conditional and unconditional updates fail on a missing table as on a missing entity.
    /// </summary>
    private async Task<string> WriteAsync(
        string table, TableEntity entity, TableOperationKind kind, string? etag,
        Func<TableClient, SdkEntity, Task<Response>> write, CancellationToken cancellationToken)
    {
        var sdk = AzureTableEntities.ToSdk(entity);
        var client = Client(table);
        var operation = kind.ToString().ToLowerInvariant() + " entity";
        var mayCreate = kind is TableOperationKind.Insert or TableOperationKind.Upsert;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var response = await write(client, sdk).ConfigureAwait(false);
                return AzureTableEntities.Written(entity, response.Headers.ETag?.ToString()
                    ?? throw new AzureStorageRequestException(operation, response.Status, "MissingETag"));
            }
            catch (RequestFailedException ex) when (mayCreate && attempt == 0 && ex.ErrorCode == "TableNotFound")
            {
                await _tables.CreateAsync(client.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (AzureFailure.IsFailure(ex, cancellationToken))
            {
                throw AzureFailure.ForEntity(ex, operation, kind, etag, table, entity.PartitionKey, entity.RowKey);
            }
        }
    }

    // Not cancellable by one caller: others may be waiting for the same creation.
    private async Task CreateTableAsync(string name)
    {
        try
        {
            var created = await _service.GetTableClient(name).CreateIfNotExistsAsync(CancellationToken.None).ConfigureAwait(false);
            if (created.GetRawResponse().Status is 201 or 204)
            {
                AzureStorageLog.CreatedTable(_logger, name);
            }
        }
        catch (Exception ex) when (AzureFailure.IsFailure(ex, CancellationToken.None))
        {
            throw AzureFailure.Other(ex, "create table");
        }
    }

    private TableClient Client(string table) => _service.GetTableClient(_names.Table(table));

    private static ETag IfMatch(string? etag) => etag is null or "*" ? ETag.All : new ETag(etag);

    private static TableTransactionAction ToAction(TableOperation operation)
    {
        var entity = AzureTableEntities.ToSdk(operation.Entity);
        var etag = IfMatch(operation.ETag);
        return operation.Kind switch
        {
            TableOperationKind.Insert => new TableTransactionAction(TableTransactionActionType.Add, entity),
            TableOperationKind.Replace => new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, etag),
            TableOperationKind.Merge => new TableTransactionAction(TableTransactionActionType.UpdateMerge, entity, etag),
            TableOperationKind.Upsert => new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity),
            TableOperationKind.Delete => new TableTransactionAction(TableTransactionActionType.Delete, entity, etag),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };
    }
}
