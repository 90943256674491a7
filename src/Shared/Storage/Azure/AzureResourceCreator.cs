using System.Collections.Concurrent;

namespace NodeOps.Storage.Azure;

/// <summary>
/// Creates tables and queues on first use. Concurrent callers that find the same resource missing share one
/// create call; a finished creation is forgotten, so a resource deleted later from outside is created again.
/// </summary>
internal sealed class AzureResourceCreator(Func<string, Task> create)
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _creating = new(StringComparer.Ordinal);

    public async Task CreateAsync(string name, CancellationToken cancellationToken = default)
    {
        // The shared call runs without any one caller's token: others may still be waiting for it.
        var creation = _creating.GetOrAdd(name, n => new Lazy<Task>(() => create(n)));
        try
        {
            await creation.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (creation.Value.IsCompleted)
            {
                _creating.TryRemove(new KeyValuePair<string, Lazy<Task>>(name, creation));
            }
        }
    }
}
