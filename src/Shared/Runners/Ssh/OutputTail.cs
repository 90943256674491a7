using System.Text;

namespace NodeOps.Runners.Ssh;

/// <summary>
/// Keeps the last <c>limit</c> bytes of a stream in a ring, so memory stays bounded however much a node prints.
/// Decoding is UTF-8 with replacement characters; a tail that starts inside a multi-byte character skips its
/// continuation bytes rather than showing a replacement for half a character.
/// </summary>
internal sealed class OutputTail(int limit)
{
    private readonly byte[] _ring = new byte[Math.Max(1, limit)];
    private long _total;

    public long TotalBytes => _total;

    public bool Truncated => _total > _ring.Length;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.Length > _ring.Length)
        {
            // Only the last ring's worth can survive; count the rest as seen.
            _total += data.Length - _ring.Length;
            data = data[^_ring.Length..];
        }

        var position = (int)(_total % _ring.Length);
        var first = Math.Min(data.Length, _ring.Length - position);
        data[..first].CopyTo(_ring.AsSpan(position));
        data[first..].CopyTo(_ring);
        _total += data.Length;
    }

    public string Decode()
    {
        byte[] bytes;
        if (!Truncated)
        {
            bytes = _ring.AsSpan(0, (int)_total).ToArray();
        }
        else
        {
            var start = (int)(_total % _ring.Length);
            bytes = new byte[_ring.Length];
            _ring.AsSpan(start).CopyTo(bytes);
            _ring.AsSpan(0, start).CopyTo(bytes.AsSpan(_ring.Length - start));
        }

        var offset = 0;
        if (Truncated)
        {
            while (offset < Math.Min(3, bytes.Length) && (bytes[offset] & 0xC0) == 0x80)
            {
                offset++;
            }
        }

        return Encoding.UTF8.GetString(bytes, offset, bytes.Length - offset);
    }
}
