using Renci.SshNet;

namespace NodeOps.Runners.Ssh;

/// <summary>
/// A running command's stdout and stderr, kept apart, each capped to its tail. SSH.NET buffers channel data in its
/// output streams, whose reads block a thread while empty; so they are drained without blocking (only what is there)
/// whenever the runner looks, and once more at the end. Until the group report arrives, stderr is held back so the
/// report line can be cut out.
/// </summary>
internal sealed class CommandOutput(int limitBytes, GroupReport group)
{
    private readonly byte[] _buffer = new byte[16 * 1024];
    private List<byte>? _head = new(256);

    public OutputTail Stdout { get; } = new(limitBytes);

    public OutputTail Stderr { get; } = new(limitBytes);

    public bool Truncated => Stdout.Truncated || Stderr.Truncated;

    /// <summary>Takes whatever the streams hold now; returns whether there was anything.</summary>
    public bool Drain(SshCommand command, bool final)
    {
        var read = Take(command.OutputStream, data => Stdout.Append(data));
        read |= Take(command.ExtendedOutputStream, AppendStderr);
        if (final && _head is { } head)
        {
            group.TryCut(head, final: true, out var rest);
            Stderr.Append(rest);
            _head = null;
        }

        return read;
    }

    private void AppendStderr(ReadOnlySpan<byte> data)
    {
        if (_head is not { } head)
        {
            Stderr.Append(data);
            return;
        }

        head.AddRange(data);
        if (group.TryCut(head, final: false, out var rest))
        {
            Stderr.Append(rest);
            _head = null;
        }
    }

    private bool Take(Stream stream, SpanAction append)
    {
        var any = false;
        try
        {
            // Length is what the stream holds; reading no more than that never blocks.
            while (stream.Length > 0)
            {
                var read = stream.Read(_buffer, 0, (int)Math.Min(_buffer.Length, stream.Length));
                if (read <= 0)
                {
                    break;
                }

                append(_buffer.AsSpan(0, read));
                any = true;
            }
        }
        catch (ObjectDisposedException)
        {
            // The command was disposed (the connection went away): nothing more will come.
        }

        return any;
    }

    private delegate void SpanAction(ReadOnlySpan<byte> data);
}
