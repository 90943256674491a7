using NodeOps.Storage;

namespace NodeOps.Clusters;

/// <summary>An SSH host key recorded on first contact with a node.</summary>
public sealed record HostKeyPin(string ClusterName, string NodeName, string Address, int Port, string KeyType, string PublicKey, string Fingerprint, DateTimeOffset PinnedAt);

/// <summary>
/// Pinned host keys, in the shared store so every instance verifies against the same key. Pins are per cluster
/// and node name; a node whose key changes fails until an admin clears its pin.
/// </summary>
public sealed class HostKeyPinStore(ITableStore store)
{
    private const string Table = "hostkeys";

    public async Task<HostKeyPin?> GetAsync(string clusterName, string nodeName, CancellationToken cancellationToken = default)
    {
        var entity = await store.GetAsync(Table, Partition(clusterName), Row(nodeName), cancellationToken).ConfigureAwait(false);
        return entity is null ? null : DocumentTable.FromEntity<HostKeyPin>(entity);
    }

    /// <summary>Records a pin unless one exists; returns the pin that holds afterwards (first writer wins).</summary>
    public async Task<HostKeyPin> PinIfAbsentAsync(HostKeyPin pin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pin);
        try
        {
            await store.InsertAsync(Table, DocumentTable.ToEntity(Partition(pin.ClusterName), Row(pin.NodeName), pin), cancellationToken).ConfigureAwait(false);
            return pin;
        }
        catch (EntityAlreadyExistsException)
        {
            return await GetAsync(pin.ClusterName, pin.NodeName, cancellationToken).ConfigureAwait(false) ?? pin;
        }
    }

    public async Task<IReadOnlyList<HostKeyPin>> ListAsync(string clusterName, CancellationToken cancellationToken = default)
    {
        var entities = await store.QueryListAsync(Table, TableQuery.Partition(Partition(clusterName)), cancellationToken).ConfigureAwait(false);
        return entities.Select(DocumentTable.FromEntity<HostKeyPin>).ToList();
    }

    /// <summary>Removes a pin so the next contact records the node's current key. Returns false when there was none.</summary>
    public async Task<bool> ClearAsync(string clusterName, string nodeName, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.DeleteAsync(Table, Partition(clusterName), Row(nodeName), "*", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (EntityNotFoundException)
        {
            return false;
        }
    }

    // Cluster and node names are validated by the catalog to exclude the characters keys forbid.
    private static string Partition(string clusterName) => "c-" + clusterName;

    private static string Row(string nodeName) => "n-" + nodeName;
}
