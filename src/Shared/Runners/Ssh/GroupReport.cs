using System.Globalization;
using System.Text;

namespace NodeOps.Runners.Ssh;

/// <summary>
/// The remote process group, as the invocation reports it on a stderr line of its own
/// (<see cref="RemoteInvocation.PgidMarker"/>). Login scripts on the node may print before it, so it is looked for on
/// any line within the first <see cref="MaxHead"/> bytes, and the line is cut out of the stderr that is kept.
/// </summary>
internal sealed class GroupReport(Action<int>? onReported)
{
    private const int MaxHead = 64 * 1024;
    private static readonly byte[] Marker = Encoding.ASCII.GetBytes(RemoteInvocation.PgidMarker);
    private int _value = -1;

    public int? Value => Volatile.Read(ref _value) is var v && v > 0 ? v : null;

    /// <summary>
    /// Looks for the report line among the complete lines held so far. When found (or when no more can come,
    /// or the head is too long to wait for it), returns true with the stderr bytes minus the report line.
    /// </summary>
    public bool TryCut(List<byte> head, bool final, out byte[] rest)
    {
        var bytes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(head);
        var lineStart = 0;
        while (lineStart < bytes.Length)
        {
            var newline = bytes[lineStart..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }

            var line = bytes.Slice(lineStart, newline);
            if (line.StartsWith(Marker)
                && int.TryParse(Encoding.ASCII.GetString(line[Marker.Length..]), NumberStyles.None, CultureInfo.InvariantCulture, out var pgid)
                && pgid > 1)
            {
                Volatile.Write(ref _value, pgid);
                onReported?.Invoke(pgid);
                rest = [.. bytes[..lineStart], .. bytes[(lineStart + newline + 1)..]];
                return true;
            }

            lineStart += newline + 1;
        }

        if (final || head.Count > MaxHead)
        {
            rest = head.ToArray();
            return true;
        }

        rest = [];
        return false;
    }
}
