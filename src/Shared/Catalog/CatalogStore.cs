using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodeOps.Errors;
using NodeOps.Storage;

namespace NodeOps.Catalog;

/// <summary>
/// Storage of one catalog (playbooks, scripts or workflows) on the table-store port, so it behaves the same on
/// SQLite and Azure Table Storage.
/// <list type="bullet">
/// <item>Partition "items": the head row of every item ("id-{id}"), a name reservation ("name-{hash}") and, for
/// built-ins, a seeding record ("builtin-{key}"). Heads and reservations change together in one batch, so names stay
/// unique and built-ins are seeded once however many instances start at the same moment.</item>
/// <item>Partition "i-{id}": the item's content blobs ("b-{blob}-…", see <see cref="LargeText"/>) and one history row
/// per version ("v-{version}"). A new version's blob is written first under a fresh name and published by the
/// head's conditional replace; a writer that loses the race removes its blob.</item>
/// </list>
/// </summary>
internal sealed class CatalogStore(ITableStore store, SequenceGenerator sequences, TimeProvider time, CatalogKind kind)
{
    private const string Items = "items";
    private const int MaxAttempts = 10;

    public CatalogKind Kind => kind;

    public async Task<CatalogEntry?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        var entity = await store.GetAsync(kind.Table, Items, IdRow(id), cancellationToken).ConfigureAwait(false);
        return entity is null ? null : DocumentTable.FromEntity<CatalogEntry>(entity);
    }

    public async Task<CatalogEntry> GetAsync(long id, CancellationToken cancellationToken = default) =>
        await FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);

    /// <summary>Every item that passes the filter, by id. Heads are small, so a catalog of thousands reads quickly.</summary>
    public async Task<IReadOnlyList<CatalogEntry>> ListAsync(CatalogListFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = TableQuery.Partition(Items).WithRowKeyPrefix("id-");
        if (filter.Category is not null)
        {
            query = query.Where("category", FilterOperator.Equal, filter.Category);
        }

        if (filter.IsBuiltin is { } builtin)
        {
            query = query.Where("is_builtin", FilterOperator.Equal, builtin);
        }

        if (filter.Language is not null)
        {
            query = query.Where("language", FilterOperator.Equal, filter.Language);
        }

        var entities = await store.QueryListAsync(kind.Table, query, cancellationToken).ConfigureAwait(false);
        return entities.Select(DocumentTable.FromEntity<CatalogEntry>).OrderBy(e => e.Id).ToList();
    }

    public async Task<string> ReadContentAsync(CatalogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return await ReadBlobAsync(entry.Id, entry.ContentBlob, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates an item at version 1. Throws 409 on "name" when the name is taken.</summary>
    public async Task<CatalogEntry> CreateAsync(CatalogEntry draft, string content, string actor, CancellationToken cancellationToken = default)
    {
        var (entry, outcome) = await TryCreateAsync(draft, content, actor, null, cancellationToken).ConfigureAwait(false);
        return outcome == CreateOutcome.Created ? entry! : throw NameTaken(draft.Name);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current head under optimistic concurrency. New content that differs
    /// from the current one becomes the next version; the same content, or none, keeps the version.
    /// </summary>
    public async Task<CatalogEntry> UpdateAsync(long id, Func<CatalogEntry, CatalogEntry> change, string? content, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var entity = await store.GetAsync(kind.Table, Items, IdRow(id), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
            var current = DocumentTable.FromEntity<CatalogEntry>(entity);
            var now = time.GetUtcNow();
            var updated = change(current) with { Id = id, UpdatedAt = now, UpdatedBy = actor };
            string? newBlob = null;
            if (content is not null && Hash(content) != current.ContentHash)
            {
                newBlob = await WriteBlobAsync(id, content, cancellationToken).ConfigureAwait(false);
                await RecordVersionAsync(current, cancellationToken).ConfigureAwait(false);
                updated = WithContent(updated, content, newBlob, current.Version + 1, now, actor);
            }

            var operations = new List<TableOperation> { TableOperation.Replace(ToEntity(updated), entity.ETag) };
            var renamed = NameRow(updated.Name) != NameRow(current.Name);
            if (renamed)
            {
                operations.Add(TableOperation.Insert(NameEntity(updated.Name, id)));
                operations.Add(TableOperation.Delete(new TableEntity(Items, NameRow(current.Name)), "*"));
            }

            try
            {
                await store.ExecuteBatchAsync(kind.Table, operations, cancellationToken).ConfigureAwait(false);
            }
            catch (BatchFailedException ex)
            {
                await DeleteBlobAsync(id, newBlob, cancellationToken).ConfigureAwait(false);
                if (ex.FailedIndex == 1)
                {
                    throw NameTaken(updated.Name);
                }

                // The head changed under us (or a stale reservation vanished): apply the change to the new head.
                continue;
            }

            if (newBlob is not null)
            {
                await RecordVersionAsync(updated, cancellationToken).ConfigureAwait(false);
            }

            return updated;
        }

        throw NodeOpsException.Conflict($"{kind.Label} {id} 正被并发修改，请重试");
    }

    /// <summary>Deletes an item and its history. Built-ins are refused unless <paramref name="allowBuiltin"/>.</summary>
    public async Task<CatalogEntry> DeleteAsync(long id, bool allowBuiltin = false, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var entity = await store.GetAsync(kind.Table, Items, IdRow(id), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
            var current = DocumentTable.FromEntity<CatalogEntry>(entity);
            if (current.IsBuiltin && !allowBuiltin)
            {
                throw new NodeOpsException(ErrorKind.Forbidden, $"内置{kind.Label} {current.Name} 不能删除", "id", "BUILTIN_PROTECTED");
            }

            try
            {
                await store.ExecuteBatchAsync(kind.Table,
                [
                    TableOperation.Delete(new TableEntity(Items, IdRow(id)), entity.ETag),
                    TableOperation.Delete(new TableEntity(Items, NameRow(current.Name)), "*"),
                ], cancellationToken).ConfigureAwait(false);
            }
            catch (BatchFailedException)
            {
                continue;
            }

            var rows = await store.QueryListAsync(kind.Table, TableQuery.Partition(ItemPartition(id)), cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                await DeleteQuietlyAsync(row.PartitionKey, row.RowKey, cancellationToken).ConfigureAwait(false);
            }

            return current;
        }

        throw NodeOpsException.Conflict($"{kind.Label} {id} 正被并发修改，请重试");
    }

    /// <summary>Every version, newest first. The current one is always there, even if its history row was never written.</summary>
    public async Task<IReadOnlyList<CatalogVersion>> ListVersionsAsync(long id, CancellationToken cancellationToken = default)
    {
        var entry = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        var rows = await store.QueryListAsync(kind.Table, TableQuery.Partition(ItemPartition(id)).WithRowKeyPrefix("v-"), cancellationToken).ConfigureAwait(false);
        var versions = rows.Select(DocumentTable.FromEntity<CatalogVersionRecord>).Where(v => v.Version != entry.Version).Select(v => v.ToView()).ToList();
        versions.Add(CatalogVersionRecord.Of(entry).ToView());
        return versions.OrderByDescending(v => v.Version).ToList();
    }

    /// <summary>The content of one version, or a 404 naming the version.</summary>
    public async Task<(CatalogEntry Entry, CatalogVersion Version, string Content)> ReadVersionAsync(long id, int version, CancellationToken cancellationToken = default)
    {
        var entry = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        CatalogVersionRecord record;
        if (version == entry.Version)
        {
            record = CatalogVersionRecord.Of(entry);
        }
        else
        {
            var row = await store.GetAsync(kind.Table, ItemPartition(id), VersionRow(version), cancellationToken).ConfigureAwait(false)
                ?? throw NodeOpsException.NotFound($"{kind.Label} {id} 没有版本 {version}");
            record = DocumentTable.FromEntity<CatalogVersionRecord>(row);
        }

        var content = await ReadBlobAsync(id, record.ContentBlob, cancellationToken).ConfigureAwait(false);
        return (entry, record.ToView(), content);
    }

    /// <summary>
    /// Seeds or upgrades a built-in. Inserted once per key, whichever instance gets there first. On later starts
    /// the stored content is replaced only when it is still exactly what was seeded last time, so an operator's
    /// edits survive upgrades.
    /// </summary>
    public async Task<(BuiltinSeedOutcome Outcome, long? Id)> SeedBuiltinAsync(CatalogEntry draft, string content, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var key = draft.BuiltinKey ?? throw new ArgumentException("A built-in needs a key.", nameof(draft));
        var hash = Hash(content);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var seeded = await store.GetAsync(kind.Table, Items, BuiltinRow(key), cancellationToken).ConfigureAwait(false);
            if (seeded is null)
            {
                var (entry, outcome) = await TryCreateAsync(draft with { IsBuiltin = true }, content, actor, key, cancellationToken).ConfigureAwait(false);
                switch (outcome)
                {
                    case CreateOutcome.Created:
                        return (BuiltinSeedOutcome.Created, entry!.Id);
                    case CreateOutcome.NameTaken when await FindBuiltinIdAsync(key, cancellationToken).ConfigureAwait(false) is null:
                        return (BuiltinSeedOutcome.NameTaken, null);
                    default:
                        continue; // Another instance seeded it first (its name row may be what we saw): look again.
                }
            }

            var id = seeded.GetInt64("item_id") ?? throw new InvalidDataException($"Built-in record {key} has no item id.");
            var seededHash = seeded.GetString("seeded_hash");
            var head = await store.GetAsync(kind.Table, Items, IdRow(id), cancellationToken).ConfigureAwait(false);
            if (head is null)
            {
                return (BuiltinSeedOutcome.Missing, null);
            }

            var current = DocumentTable.FromEntity<CatalogEntry>(head);
            if (seededHash == hash)
            {
                return (BuiltinSeedOutcome.Unchanged, id);
            }

            if (current.ContentHash != seededHash)
            {
                return (BuiltinSeedOutcome.KeptUserChanges, id);
            }

            var now = time.GetUtcNow();
            var blob = await WriteBlobAsync(id, content, cancellationToken).ConfigureAwait(false);
            await RecordVersionAsync(current, cancellationToken).ConfigureAwait(false);
            var upgraded = WithContent(current with { UpdatedAt = now, UpdatedBy = actor, StepCount = draft.StepCount, Language = draft.Language },
                content, blob, current.Version + 1, now, actor);
            seeded["seeded_hash"] = hash;
            try
            {
                await store.ExecuteBatchAsync(kind.Table,
                [
                    TableOperation.Replace(ToEntity(upgraded), head.ETag),
                    TableOperation.Replace(seeded, seeded.ETag),
                ], cancellationToken).ConfigureAwait(false);
            }
            catch (BatchFailedException)
            {
                await DeleteBlobAsync(id, blob, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await RecordVersionAsync(upgraded, cancellationToken).ConfigureAwait(false);
            return (BuiltinSeedOutcome.Upgraded, id);
        }

        throw NodeOpsException.Conflict($"内置{kind.Label} {key} 正被并发修改");
    }

    /// <summary>The id a built-in key was seeded as, or null.</summary>
    public async Task<long?> FindBuiltinIdAsync(string key, CancellationToken cancellationToken = default)
    {
        var seeded = await store.GetAsync(kind.Table, Items, BuiltinRow(key), cancellationToken).ConfigureAwait(false);
        return seeded?.GetInt64("item_id");
    }

    public static string Hash(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private async Task<(CatalogEntry? Entry, CreateOutcome Outcome)> TryCreateAsync(CatalogEntry draft, string content, string actor, string? builtinKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(content);

        // Cheap pre-checks, so a taken name or a seeded built-in does not use up an id on every attempt.
        if (await store.GetAsync(kind.Table, Items, NameRow(draft.Name), cancellationToken).ConfigureAwait(false) is not null)
        {
            return (null, CreateOutcome.NameTaken);
        }

        var id = await sequences.NextAsync(kind.Sequence, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var blob = await WriteBlobAsync(id, content, cancellationToken).ConfigureAwait(false);
        var entry = WithContent(draft with { Id = id, CreatedAt = now, UpdatedAt = now, CreatedBy = actor, UpdatedBy = actor, BuiltinKey = builtinKey }, content, blob, 1, now, actor);
        var operations = new List<TableOperation>
        {
            TableOperation.Insert(ToEntity(entry)),
            TableOperation.Insert(NameEntity(entry.Name, id)),
        };
        if (builtinKey is not null)
        {
            operations.Add(TableOperation.Insert(new TableEntity(Items, BuiltinRow(builtinKey)) { ["item_id"] = id, ["seeded_hash"] = entry.ContentHash }));
        }

        try
        {
            await store.ExecuteBatchAsync(kind.Table, operations, cancellationToken).ConfigureAwait(false);
        }
        catch (BatchFailedException ex)
        {
            await DeleteBlobAsync(id, blob, cancellationToken).ConfigureAwait(false);
            return (null, ex.FailedIndex == 2 ? CreateOutcome.AlreadySeeded : CreateOutcome.NameTaken);
        }

        await RecordVersionAsync(entry, cancellationToken).ConfigureAwait(false);
        return (entry, CreateOutcome.Created);
    }

    private static CatalogEntry WithContent(CatalogEntry entry, string content, string blob, int version, DateTimeOffset now, string actor) => entry with
    {
        Version = version,
        ContentHash = Hash(content),
        ContentBlob = blob,
        ContentLength = content.Length,
        ContentUpdatedAt = now,
        ContentUpdatedBy = actor,
    };

    private async Task<string> WriteBlobAsync(long id, string content, CancellationToken cancellationToken)
    {
        var blob = Guid.NewGuid().ToString("N");
        await LargeText.WriteAsync(store, kind.Table, ItemPartition(id), BlobPrefix(blob), content, cancellationToken).ConfigureAwait(false);
        return blob;
    }

    private async Task<string> ReadBlobAsync(long id, string blob, CancellationToken cancellationToken) =>
        await LargeText.ReadAsync(store, kind.Table, ItemPartition(id), BlobPrefix(blob), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{kind.Table} item {id} has lost its content blob {blob}.");

    private async Task DeleteBlobAsync(long id, string? blob, CancellationToken cancellationToken)
    {
        if (blob is not null)
        {
            // Not the caller's token: a cancelled request should still not leave its orphan behind.
            await LargeText.DeleteAsync(store, kind.Table, ItemPartition(id), BlobPrefix(blob), CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Upserts the history row of the entry's current version; idempotent, so it can be repeated safely.</summary>
    private async Task RecordVersionAsync(CatalogEntry entry, CancellationToken cancellationToken) =>
        await store.UpsertAsync(kind.Table, DocumentTable.ToEntity(ItemPartition(entry.Id), VersionRow(entry.Version), CatalogVersionRecord.Of(entry)), cancellationToken).ConfigureAwait(false);

    private async Task DeleteQuietlyAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await store.DeleteAsync(kind.Table, partitionKey, rowKey, "*", cancellationToken).ConfigureAwait(false);
        }
        catch (EntityNotFoundException)
        {
        }
    }

    private static TableEntity ToEntity(CatalogEntry entry)
    {
        var index = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["category"] = entry.Category,
            ["is_builtin"] = entry.IsBuiltin,
        };
        if (entry.Language is not null)
        {
            index["language"] = entry.Language;
        }

        return DocumentTable.ToEntity(Items, IdRow(entry.Id), entry, index);
    }

    private static TableEntity NameEntity(string name, long id) => new(Items, NameRow(name)) { ["item_id"] = id };

    private NodeOpsException NotFound(long id) => NodeOpsException.NotFound($"{kind.Label} ID {id} 不存在");

    private static NodeOpsException NameTaken(string name) => NodeOpsException.Conflict($"名称 {name} 已存在", "name");

    private static string IdRow(long id) => "id-" + id.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Names are unique ignoring case; hashing keeps any name within the characters keys allow.</summary>
    private static string NameRow(string name) =>
        "name-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name.Normalize(NormalizationForm.FormC).ToLowerInvariant())));

    private static string BuiltinRow(string key) => "builtin-" + key;

    private static string ItemPartition(long id) => "i-" + id.ToString("D19", CultureInfo.InvariantCulture);

    private static string VersionRow(int version) => "v-" + version.ToString("D10", CultureInfo.InvariantCulture);

    private static string BlobPrefix(string blob) => "b-" + blob + "-";

    private enum CreateOutcome
    {
        Created,
        NameTaken,
        AlreadySeeded,
    }
}
