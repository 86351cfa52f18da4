namespace AkkaRedis.Net.Streams;

/// <summary>
/// Bytes read from a socket, in a buffer rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/>. Whoever
/// grabs it owns the buffer (the framing stage hands it to the parser). The socket stage reuses the instance for
/// its next read, so the receiver must take <see cref="Buffer"/> during its push.
/// </summary>
public sealed class ReceivedChunk
{
    public byte[] Buffer = [];
    public int Count;

    /// <summary>Wraps a copy of <paramref name="bytes"/> (tests, other sources).</summary>
    public static ReceivedChunk Of(ReadOnlySpan<byte> bytes)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(1, bytes.Length));
        bytes.CopyTo(buffer);
        return new ReceivedChunk { Buffer = buffer, Count = bytes.Length };
    }
}

/// <summary>
/// Bytes to send, as a list of segments of memory the sender owns (the replies where they were encoded: no copy
/// into a send buffer). The memory must stay untouched until the socket stage pulls again: that pull says the
/// bytes are out.
/// </summary>
public sealed class OutgoingBytes
{
    public readonly List<ArraySegment<byte>> Segments = new();

    public int Length { get; private set; }

    /// <summary>Appends a segment, merged with the previous one when it continues it in the same array.</summary>
    public void Add(byte[] buffer, int offset, int count)
    {
        if (count == 0) return;
        Length += count;
        var last = Segments.Count - 1;
        if (last >= 0)
        {
            var prev = Segments[last];
            if (ReferenceEquals(prev.Array, buffer) && prev.Offset + prev.Count == offset)
            {
                Segments[last] = new ArraySegment<byte>(buffer, prev.Offset, prev.Count + count);
                return;
            }
        }
        Segments.Add(new ArraySegment<byte>(buffer, offset, count));
    }

    public void Add(byte[] whole) => Add(whole, 0, whole.Length);

    /// <summary>Appends what <paramref name="writer"/> wrote in [<paramref name="start"/>..<paramref name="end"/>),
    /// with the payloads it holds by reference in their places.</summary>
    public void Add(Resp.RespWriter writer, int start, int end)
    {
        var references = writer.References;
        if (references.IsEmpty)
        {
            Add(writer.Buffer, start, end - start);
            return;
        }
        // The first reference inside the range (references are in position order).
        int lo = 0, hi = references.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (references[mid].Position <= start) lo = mid + 1;
            else hi = mid;
        }
        var pos = start;
        for (var i = lo; i < references.Length && references[i].Position < end; i++)
        {
            var r = references[i];
            Add(writer.Buffer, pos, r.Position - pos);
            Add(r.Array, r.Offset, r.Count);
            pos = r.Position;
        }
        Add(writer.Buffer, pos, end - pos);
    }

    /// <summary>
    /// Appends <paramref name="parts"/> in order, those of at most <paramref name="copyMax"/> bytes copied into
    /// <paramref name="copy"/> (reset first; it must then stay untouched as long as these bytes) so that consecutive
    /// small ones become one segment, larger ones by reference. Copied first, referenced after: the buffer may move while
    /// it grows. Many tiny messages (Pub/Sub, MONITOR lines) then make a send of a few segments, not one per message:
    /// .NET allocates iovec and handle arrays for a send of more than 8 segments (SocketPal.SysSend).
    /// </summary>
    public void AddCoalesced(List<ArraySegment<byte>> parts, Resp.RespWriter copy, int copyMax)
    {
        copy.Reset();
        foreach (var part in parts)
            if (part.Count <= copyMax) copy.WriteRaw(part);
        var copied = 0;
        foreach (var part in parts)
        {
            if (part.Count > copyMax)
            {
                Add(part.Array!, part.Offset, part.Count);
                continue;
            }
            Add(copy.Buffer, copied, part.Count);
            copied += part.Count;
        }
    }

    public void Clear()
    {
        Segments.Clear();
        Length = 0;
    }

    /// <summary>One array with every byte (tests, diagnostics).</summary>
    public byte[] ToArray()
    {
        var result = new byte[Length];
        var pos = 0;
        foreach (var s in Segments)
        {
            s.AsSpan().CopyTo(result.AsSpan(pos));
            pos += s.Count;
        }
        return result;
    }
}
