using System.Text;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// Collects a run's output as it comes and writes it to <see cref="AnsibleRunStore"/> in chunks on each flush,
/// rewriting only the chunks that changed. Only the tail of <c>limit</c> characters is kept: whole chunks before it
/// are deleted. Memory holds the current chunk and the full chunks not written yet.
/// </summary>
internal sealed class AnsibleOutputLog(AnsibleRunStore store, string taskId, int limit)
{
    private const int ChunkChars = AnsibleRunStore.ChunkChars;
    private readonly object _gate = new();
    private readonly List<(long Index, string Text)> _sealed = [];
    private readonly StringBuilder _current = new();
    private long _currentIndex;
    private long _total;
    private bool _currentDirty;
    private long _writtenFrom = -1;
    private long _writtenTo = -1;
    private long _keptFrom;

    public long Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    public void Append(string text)
    {
        lock (_gate)
        {
            var rest = text.AsSpan();
            while (rest.Length > 0)
            {
                var take = Math.Min(rest.Length, ChunkChars - _current.Length);
                _current.Append(rest[..take]);
                rest = rest[take..];
                _total += take;
                _currentDirty = true;
                if (_current.Length == ChunkChars)
                {
                    _sealed.Add((_currentIndex, _current.ToString()));
                    _current.Clear();
                    _currentIndex++;
                    _currentDirty = false;
                }
            }
        }
    }

    /// <summary>Writes what changed since the last flush; returns (total, first stored offset) as now stored.</summary>
    public async Task<(long Total, long Start)> FlushAsync(CancellationToken cancellationToken = default)
    {
        List<(long Index, string Text)> writes;
        long keepFrom;
        long total;
        long previouslyKept;
        lock (_gate)
        {
            total = _total;
            keepFrom = Math.Max(0, total - limit) / ChunkChars;
            writes = _sealed.Where(c => c.Index >= keepFrom).ToList();
            _sealed.Clear();
            if (_currentDirty && _currentIndex >= keepFrom)
            {
                writes.Add((_currentIndex, _current.ToString()));
            }

            _currentDirty = false;
            previouslyKept = _keptFrom;
            _keptFrom = keepFrom;
        }

        if (writes.Count > 0)
        {
            await store.WriteChunksAsync(taskId, writes, cancellationToken).ConfigureAwait(false);
            _writtenFrom = _writtenFrom < 0 ? writes.Min(w => w.Index) : _writtenFrom;
            _writtenTo = Math.Max(_writtenTo, writes.Max(w => w.Index));
        }

        // Chunks now before the kept tail, among those ever written, go.
        for (var index = Math.Max(previouslyKept, _writtenFrom); _writtenFrom >= 0 && index < keepFrom && index <= _writtenTo; index++)
        {
            await store.DeleteChunkAsync(taskId, index, cancellationToken).ConfigureAwait(false);
        }

        return (total, keepFrom * ChunkChars);
    }
}
