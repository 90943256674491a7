using System.Text;
using System.Text.Json;
using NodeOps.Json;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// Reads the events file as the plugin appends to it: each call returns the complete lines written since the
/// last one, parsed. A line that is not a plugin event (it should not happen) is skipped, never guessed at.
/// </summary>
internal sealed class AnsibleEventTail(string path) : IDisposable
{
    private const int MaxLineBytes = 1024 * 1024;
    private readonly List<byte> _partial = [];
    private readonly byte[] _buffer = new byte[64 * 1024];
    private FileStream? _stream;

    public int Skipped { get; private set; }

    public List<AnsibleEvent> ReadNew()
    {
        var events = new List<AnsibleEvent>();
        if (_stream is null)
        {
            if (!File.Exists(path))
            {
                return events;
            }

            _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }

        int read;
        while ((read = _stream.Read(_buffer, 0, _buffer.Length)) > 0)
        {
            var span = _buffer.AsSpan(0, read);
            int newline;
            while ((newline = span.IndexOf((byte)'\n')) >= 0)
            {
                _partial.AddRange(span[..newline]);
                Parse(events);
                _partial.Clear();
                span = span[(newline + 1)..];
            }

            if (_partial.Count + span.Length > MaxLineBytes)
            {
                // A runaway line: drop it rather than hold it all.
                _partial.Clear();
                Skipped++;
                continue;
            }

            _partial.AddRange(span);
        }

        return events;
    }

    public void Dispose() => _stream?.Dispose();

    private void Parse(List<AnsibleEvent> into)
    {
        if (_partial.Count == 0)
        {
            return;
        }

        try
        {
            var text = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_partial));
            var parsed = JsonSerializer.Deserialize<AnsibleEvent>(text, NodeOpsJson.Options);
            if (parsed is { Event.Length: > 0 })
            {
                into.Add(parsed);
                return;
            }
        }
        catch (JsonException)
        {
        }

        Skipped++;
    }
}
