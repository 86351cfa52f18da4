using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// Redis's listpack byte format (listpack.c), as a stream node holds its entries: a 6-byte header (total bytes as a
/// uint32, element count as a uint16 that saturates at 65535), the elements, and an end byte 0xFF. Each element is
/// its encoding (an integer in 1, 2, 3, 4, 5 or 9 bytes, or a string with a 1, 2 or 5-byte length header) followed by
/// its back-length, so that the list can be walked from either end. Strings that are canonical integers are stored as
/// integers (lpStringToInt64), as lpAppend does.
/// </summary>
/// <remarks>
/// Being byte-for-byte Redis's listpack is what makes a stream's node layout (stream-node-max-bytes splits, <c>~</c>
/// trimming), MEMORY USAGE and the RDB size equal to redis-server's. Unlike Redis's, an array here may have spare
/// capacity past its end byte (the tail node grows by doubling instead of a realloc per XADD); the header's byte count
/// says where the listpack ends.
/// </remarks>
public static class StreamListpack
{
    public const int HeaderSize = 6;
    public const byte EndByte = 0xFF;
    /// <summary>An empty listpack: the header and the end byte.</summary>
    public const int EmptyBytes = HeaderSize + 1;

    public static byte[] New(int capacity)
    {
        var lp = new byte[Math.Max(capacity, EmptyBytes)];
        SetBytes(lp, EmptyBytes);
        lp[HeaderSize] = EndByte;
        return lp;
    }

    /// <summary>lpBytes: the listpack's size (the array may be longer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Bytes(byte[] lp) => (int)BinaryPrimitives.ReadUInt32LittleEndian(lp);

    private static void SetBytes(byte[] lp, int bytes) => BinaryPrimitives.WriteUInt32LittleEndian(lp, (uint)bytes);

    /// <summary>lpLength's header field: the element count, 65535 once it is unknown (Redis then counts by walking).</summary>
    public static int HeaderCount(byte[] lp) => BinaryPrimitives.ReadUInt16LittleEndian(lp.AsSpan(4));

    private static void AddToCount(byte[] lp, int added)
    {
        var count = HeaderCount(lp);
        if (count == ushort.MaxValue) return;
        var next = count + added;
        BinaryPrimitives.WriteUInt16LittleEndian(lp.AsSpan(4), (ushort)(next >= ushort.MaxValue ? ushort.MaxValue : next));
    }

    /// <summary>The offset of the first element (the end byte when empty).</summary>
    public const int First = HeaderSize;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsEnd(byte[] lp, int p) => lp[p] == EndByte;

    // ---- sizes ----

    public static int IntEncodedSize(long v) =>
        v is >= 0 and <= 127 ? 1
        : v is >= -4096 and <= 4095 ? 2
        : v is >= short.MinValue and <= short.MaxValue ? 3
        : v is >= -8388608 and <= 8388607 ? 4
        : v is >= int.MinValue and <= int.MaxValue ? 5 : 9;

    public static int StringEncodedSize(int length) => (length < 64 ? 1 : length < 4096 ? 2 : 5) + length;

    /// <summary>lpEncodeBacklen's size for an element whose encoding takes <paramref name="l"/> bytes.</summary>
    public static int BacklenSize(int l) => l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;

    /// <summary>The bytes an integer element takes, back-length included.</summary>
    public static int IntElementSize(long v)
    {
        var e = IntEncodedSize(v);
        return e + BacklenSize(e);
    }

    /// <summary>The bytes lpAppend uses for <paramref name="s"/>: as an integer when it is a canonical one.</summary>
    public static int ElementSize(ReadOnlySpan<byte> s)
    {
        if (TryAsInteger(s, out var v)) return IntElementSize(v);
        var e = StringEncodedSize(s.Length);
        return e + BacklenSize(e);
    }

    /// <summary>lpStringToInt64: string2ll's rules (no sign but '-', no leading zeros, at most 20 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryAsInteger(ReadOnlySpan<byte> s, out long v)
    {
        v = 0;
        if (s.Length == 0 || s.Length > 20) return false;
        var c = s[0];
        if (c != '-' && (uint)(c - '0') > 9) return false;
        return Net.Resp.RedisNumbers.TryParseLong(s, out v);
    }

    // ---- writing ----

    /// <summary>Makes room for <paramref name="more"/> bytes past the listpack's end (growing by doubling).</summary>
    private static void Reserve(ref byte[] lp, int more)
    {
        var needed = Bytes(lp) + more;
        if (needed <= lp.Length) return;
        var size = Math.Max(needed, Math.Min(lp.Length * 2, Math.Max(needed, 1 << 20)));
        Array.Resize(ref lp, size);
    }

    public static void AppendInteger(ref byte[] lp, long v)
    {
        var size = IntElementSize(v);
        Reserve(ref lp, size);
        var at = Bytes(lp) - 1;
        var e = WriteInteger(lp.AsSpan(at), v);
        WriteBacklen(lp.AsSpan(at + e), e);
        lp[at + size] = EndByte;
        SetBytes(lp, at + size + 1);
        AddToCount(lp, 1);
    }

    /// <summary>lpAppend: a string, or an integer when the string is a canonical one.</summary>
    public static void Append(ref byte[] lp, ReadOnlySpan<byte> s)
    {
        if (TryAsInteger(s, out var v))
        {
            AppendInteger(ref lp, v);
            return;
        }
        var e = StringEncodedSize(s.Length);
        var size = e + BacklenSize(e);
        Reserve(ref lp, size);
        var at = Bytes(lp) - 1;
        var header = WriteStringHeader(lp.AsSpan(at), s.Length);
        s.CopyTo(lp.AsSpan(at + header));
        WriteBacklen(lp.AsSpan(at + e), e);
        lp[at + size] = EndByte;
        SetBytes(lp, at + size + 1);
        AddToCount(lp, 1);
    }

    /// <summary>lpReplaceInteger: the integer element at <paramref name="p"/> becomes <paramref name="v"/>; the
    /// bytes after it move when its size changes.</summary>
    public static void ReplaceInteger(ref byte[] lp, int p, long v)
    {
        var oldSize = Next(lp, p) - p;
        var newSize = IntElementSize(v);
        if (newSize != oldSize)
        {
            var bytes = Bytes(lp);
            if (newSize > oldSize) Reserve(ref lp, newSize - oldSize);
            Array.Copy(lp, p + oldSize, lp, p + newSize, bytes - (p + oldSize));
            SetBytes(lp, bytes + newSize - oldSize);
        }
        var e = WriteInteger(lp.AsSpan(p), v);
        WriteBacklen(lp.AsSpan(p + e), e);
    }

    /// <summary>lpShrinkToFit: the listpack in an array of exactly its size.</summary>
    public static byte[] ShrinkToFit(byte[] lp)
    {
        var bytes = Bytes(lp);
        return bytes == lp.Length ? lp : lp.AsSpan(0, bytes).ToArray();
    }

    private static int WriteInteger(Span<byte> d, long v)
    {
        if (v is >= 0 and <= 127)
        {
            d[0] = (byte)v;
            return 1;
        }
        if (v is >= -4096 and <= 4095)
        {
            var u = (uint)(v < 0 ? (1 << 13) + v : v);
            d[0] = (byte)((u >> 8) | 0xC0);
            d[1] = (byte)u;
            return 2;
        }
        if (v is >= short.MinValue and <= short.MaxValue)
        {
            d[0] = 0xF1;
            BinaryPrimitives.WriteInt16LittleEndian(d[1..], (short)v);
            return 3;
        }
        if (v is >= -8388608 and <= 8388607)
        {
            var u = (uint)(v < 0 ? (1 << 24) + v : v);
            d[0] = 0xF2;
            d[1] = (byte)u;
            d[2] = (byte)(u >> 8);
            d[3] = (byte)(u >> 16);
            return 4;
        }
        if (v is >= int.MinValue and <= int.MaxValue)
        {
            d[0] = 0xF3;
            BinaryPrimitives.WriteInt32LittleEndian(d[1..], (int)v);
            return 5;
        }
        d[0] = 0xF4;
        BinaryPrimitives.WriteInt64LittleEndian(d[1..], v);
        return 9;
    }

    private static int WriteStringHeader(Span<byte> d, int length)
    {
        if (length < 64)
        {
            d[0] = (byte)(0x80 | length);
            return 1;
        }
        if (length < 4096)
        {
            d[0] = (byte)(0xE0 | (length >> 8));
            d[1] = (byte)length;
            return 2;
        }
        d[0] = 0xF0;
        BinaryPrimitives.WriteInt32LittleEndian(d[1..], length);
        return 5;
    }

    /// <summary>lpEncodeBacklen: the encoding's length, most significant 7 bits first, every byte but the first
    /// flagged with 128, so that it reads right to left.</summary>
    private static void WriteBacklen(Span<byte> d, int l)
    {
        var n = BacklenSize(l);
        for (var i = n - 1; i >= 0; i--)
        {
            d[i] = (byte)((l & 127) | (i == 0 ? 0 : 128));
            l >>= 7;
        }
    }

    // ---- reading ----

    /// <summary>Decodes the element at <paramref name="p"/>: an integer (true, <paramref name="value"/>) or a string
    /// (false, its bytes at [<paramref name="start"/>, +<paramref name="length"/>)); <paramref name="encoded"/> is the
    /// encoding's size without the back-length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Decode(byte[] lp, int p, out long value, out int start, out int length, out int encoded)
    {
        var b = lp[p];
        start = length = 0;
        value = 0;
        if (b < 0x80)
        {
            value = b;
            encoded = 1;
            return true;
        }
        if ((b & 0xC0) == 0x80)
        {
            length = b & 0x3F;
            start = p + 1;
            encoded = 1 + length;
            return false;
        }
        if ((b & 0xE0) == 0xC0)
        {
            var u = ((b & 0x1F) << 8) | lp[p + 1];
            value = u >= 1 << 12 ? u - (1 << 13) : u;
            encoded = 2;
            return true;
        }
        if ((b & 0xF0) == 0xE0)
        {
            length = ((b & 0x0F) << 8) | lp[p + 1];
            start = p + 2;
            encoded = 2 + length;
            return false;
        }
        switch (b)
        {
            case 0xF0:
                length = BinaryPrimitives.ReadInt32LittleEndian(lp.AsSpan(p + 1));
                start = p + 5;
                encoded = 5 + length;
                return false;
            case 0xF1:
                value = BinaryPrimitives.ReadInt16LittleEndian(lp.AsSpan(p + 1));
                encoded = 3;
                return true;
            case 0xF2:
            {
                var u = lp[p + 1] | (lp[p + 2] << 8) | (lp[p + 3] << 16);
                value = u >= 1 << 23 ? u - (1 << 24) : u;
                encoded = 4;
                return true;
            }
            case 0xF3:
                value = BinaryPrimitives.ReadInt32LittleEndian(lp.AsSpan(p + 1));
                encoded = 5;
                return true;
            case 0xF4:
                value = BinaryPrimitives.ReadInt64LittleEndian(lp.AsSpan(p + 1));
                encoded = 9;
                return true;
            default:
                throw new InvalidOperationException($"corrupt listpack element 0x{b:x2}");
        }
    }

    /// <summary>lpGetInteger of an element stored as an integer (stream nodes' counters, flags and deltas).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long GetInteger(byte[] lp, int p)
    {
        if (lp[p] < 0x80) return lp[p];
        Decode(lp, p, out var v, out _, out _, out _);
        return v;
    }

    /// <summary>lpNext: the offset of the element after the one at <paramref name="p"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Next(byte[] lp, int p)
    {
        if (lp[p] < 0x80) return p + 2;
        Decode(lp, p, out _, out _, out _, out var e);
        return p + e + BacklenSize(e);
    }

    /// <summary>lpPrev: the offset of the element before the one (or the end byte) at <paramref name="p"/>, read
    /// from its back-length.</summary>
    public static int Prev(byte[] lp, int p)
    {
        var q = p - 1;
        int value = 0, shift = 0;
        while (true)
        {
            value |= (lp[q] & 127) << shift;
            if ((lp[q] & 128) == 0) break;
            shift += 7;
            q--;
        }
        return p - 1 - value - BacklenSize(value) + 1;
    }

    /// <summary>The element at <paramref name="p"/> as bytes: a string's own, an integer formatted as decimal text
    /// into the calling thread's scratch ring (see <see cref="Scratch"/>).</summary>
    public static ReadOnlySpan<byte> Text(byte[] lp, int p)
    {
        if (!Decode(lp, p, out var v, out var start, out var length, out _)) return lp.AsSpan(start, length);
        return Scratch.Format(v);
    }

    /// <summary>lpCompare: whether the element at <paramref name="p"/> reads as <paramref name="s"/>.</summary>
    public static bool Equals(byte[] lp, int p, ReadOnlySpan<byte> s)
    {
        if (!Decode(lp, p, out var v, out var start, out var length, out _)) return lp.AsSpan(start, length).SequenceEqual(s);
        return TryAsInteger(s, out var w) && w == v;
    }

    /// <summary>
    /// Where integer elements are formatted when read as text (Redis's lpGet writes into a caller's buffer): a small
    /// ring per thread, so that the views handed out for one entry's fields stay valid while the next few are read
    /// (a shard runs one command at a time on its thread).
    /// </summary>
    private static class Scratch
    {
        private const int SlotSize = 24, Slots = 64;
        [ThreadStatic] private static byte[]? _ring;
        [ThreadStatic] private static int _next;

        public static ReadOnlySpan<byte> Format(long v)
        {
            var ring = _ring ??= new byte[SlotSize * Slots];
            var slot = ring.AsSpan(_next * SlotSize, SlotSize);
            _next = (_next + 1) % Slots;
            return slot[..Net.Resp.RedisNumbers.FormatLong(v, slot)];
        }
    }
}
