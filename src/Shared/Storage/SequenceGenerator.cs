namespace NodeOps.Storage;

/// <summary>
/// Numeric ids for resources the API addresses by number. Safe across instances: each id is taken by a
/// conditional write, and a lost race simply tries again.
/// </summary>
public sealed class SequenceGenerator(ITableStore store)
{
    private const string Table = "sequences";
    private const string Partition = "seq";

    public async Task<long> NextAsync(string name, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var current = await store.GetAsync(Table, Partition, name, cancellationToken).ConfigureAwait(false);
            try
            {
                if (current is null)
                {
                    var first = new TableEntity(Partition, name) { ["value"] = 1L };
                    await store.InsertAsync(Table, first, cancellationToken).ConfigureAwait(false);
                    return 1;
                }

                var next = (current.GetInt64("value") ?? 0) + 1;
                current["value"] = next;
                await store.ReplaceAsync(Table, current, current.ETag, cancellationToken).ConfigureAwait(false);
                return next;
            }
            catch (Exception ex) when (ex is EntityAlreadyExistsException or PreconditionFailedException)
            {
                await Task.Delay(Random.Shared.Next(1, 10 + attempt * 5), cancellationToken).ConfigureAwait(false);
            }
        }

        throw new StoreUnavailableException($"Could not take the next value of sequence {name}: too much contention.");
    }
}
