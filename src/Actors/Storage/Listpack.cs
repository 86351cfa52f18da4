using System.Buffers.Binary;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// The compact form of a small collection (Redis's listpack, and what its intset-free small hashes and sorted sets
/// are stored in): a sequence of byte strings packed into one exactly-sized array, so that a 5-field hash is one
/// allocation of a few dozen bytes instead of a dictionary with ten objects. Layout: the entry count (int32, little
/// endian), then each entry as its length (LEB128 varint) and its bytes. Like Redis's listpack every change
/// allocates a new array of the new size (lpInsert reallocs); that is O(n) per write, which the encoding thresholds
/// (hash-max-listpack-entries, zset-max-listpack-entries...) keep small. Arrays are never mutated once published,
/// so a reader holding a span of one is never surprised.
/// </summary>
/// <remarks>
/// Positions are byte offsets of entries (<see cref="First"/> is the first, <see cref="End"/> past the last), as
/// Redis's lpFirst/lpNext/lpSeek work with pointers. A pair-structured collection (hash field/value, sorted set
/// member/score) stores pairs as two consecutive entries.
/// </remarks>
public static class Listpack
{
    private const int HeaderSize = 4;

    /// <summary>An empty listpack.</summary>
    public static byte[] Create() => new byte[HeaderSize];

    /// <summary>Number of entries (for a pair collection, twice the number of pairs).</summary>
    public static int Count(byte[] lp) => BinaryPrimitives.ReadInt32LittleEndian(lp);

    /// <summary>Offset of the first entry (equal to <see cref="End"/> when empty).</summary>
    public static int First => HeaderSize;

    /// <summary>Offset past the last entry.</summary>
    public static int End(byte[] lp) => lp.Length;

    /// <summary>The entry at <paramref name="offset"/>; <paramref name="next"/> receives the offset of the one after.</summary>
    public static ReadOnlySpan<byte> Read(byte[] lp, int offset, out int next)
    {
        var length = ReadLength(lp, ref offset);
        next = offset + length;
        return lp.AsSpan(offset, length);
    }

    /// <summary>The offset of the entry after the one at <paramref name="offset"/>.</summary>
    public static int Next(byte[] lp, int offset)
    {
        var length = ReadLength(lp, ref offset);
        return offset + length;
    }

    /// <summary>The offset of entry number <paramref name="index"/> (0-based, must exist or equal the count), by
    /// walking from the head as lpSeek does.</summary>
    public static int Seek(byte[] lp, int index)
    {
        var offset = HeaderSize;
        for (var i = 0; i < index; i++) offset = Next(lp, offset);
        return offset;
    }

    /// <summary>The offset of the first entry equal to <paramref name="value"/> among entries 0, stride, 2*stride...
    /// (stride 2 searches the fields of a pair collection), or -1 (lpFind with skip).</summary>
    public static int Find(byte[] lp, ReadOnlySpan<byte> value, int stride = 1)
    {
        var offset = HeaderSize;
        var end = lp.Length;
        while (offset < end)
        {
            var start = offset;
            var entry = Read(lp, offset, out offset);
            if (entry.SequenceEqual(value)) return start;
            for (var s = 1; s < stride && offset < end; s++) offset = Next(lp, offset);
        }
        return -1;
    }

    /// <summary>A new listpack with <paramref name="first"/> (and <paramref name="second"/>, unless null) inserted
    /// at <paramref name="offset"/> (use <see cref="End"/> to append).</summary>
    public static byte[] Insert(byte[] lp, int offset, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second = default, bool pair = false)
    {
        var added = EncodedSize(first.Length) + (pair ? EncodedSize(second.Length) : 0);
        var result = new byte[lp.Length + added];
        lp.AsSpan(0, offset).CopyTo(result);
        var at = WriteEntry(result, offset, first);
        if (pair) at = WriteEntry(result, at, second);
        lp.AsSpan(offset).CopyTo(result.AsSpan(at));
        BinaryPrimitives.WriteInt32LittleEndian(result, Count(lp) + (pair ? 2 : 1));
        return result;
    }

    /// <summary>A new listpack without the <paramref name="entries"/> entries starting at <paramref name="offset"/>.</summary>
    public static byte[] Remove(byte[] lp, int offset, int entries = 1)
    {
        var end = offset;
        for (var i = 0; i < entries; i++) end = Next(lp, end);
        var result = new byte[lp.Length - (end - offset)];
        lp.AsSpan(0, offset).CopyTo(result);
        lp.AsSpan(end).CopyTo(result.AsSpan(offset));
        BinaryPrimitives.WriteInt32LittleEndian(result, Count(lp) - entries);
        return result;
    }

    /// <summary>A new listpack with the entry at <paramref name="offset"/> replaced by <paramref name="value"/>
    /// (lpReplace); <paramref name="lp"/> itself when the bytes are equal (arrays are never written once published).</summary>
    public static byte[] Replace(byte[] lp, int offset, ReadOnlySpan<byte> value)
    {
        var old = Read(lp, offset, out var end);
        if (old.SequenceEqual(value)) return lp;
        var result = new byte[lp.Length - (end - offset) + EncodedSize(value.Length)];
        lp.AsSpan(0, offset).CopyTo(result);
        var at = WriteEntry(result, offset, value);
        lp.AsSpan(end).CopyTo(result.AsSpan(at));
        return result;
    }

    /// <summary>Builds a listpack from entries in one allocation (conversions, RDB-style bulk loads, COPY).</summary>
    public static byte[] From(IReadOnlyList<byte[]> entries)
    {
        var size = HeaderSize;
        foreach (var e in entries) size += EncodedSize(e.Length);
        var result = new byte[size];
        BinaryPrimitives.WriteInt32LittleEndian(result, entries.Count);
        var at = HeaderSize;
        foreach (var e in entries) at = WriteEntry(result, at, e);
        return result;
    }

    /// <summary>Bytes an entry of <paramref name="length"/> bytes takes here (varint length + bytes).</summary>
    public static int EncodedSize(int length) => VarintSize(length) + length;

    /// <summary>Enumerates the entries from the head: <c>foreach (var e in Listpack.Entries(lp))</c>.</summary>
    public static Enumerator Entries(byte[] lp) => new(lp);

    public ref struct Enumerator
    {
        private readonly byte[] _lp;
        private int _next;
        private ReadOnlySpan<byte> _current;

        internal Enumerator(byte[] lp)
        {
            _lp = lp;
            _next = HeaderSize;
        }

        public readonly Enumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_next >= _lp.Length) return false;
            _current = Read(_lp, _next, out _next);
            return true;
        }

        public readonly ReadOnlySpan<byte> Current => _current;
    }

    private static int VarintSize(int value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    private static int WriteEntry(byte[] target, int at, ReadOnlySpan<byte> value)
    {
        var length = (uint)value.Length;
        while (length >= 0x80)
        {
            target[at++] = (byte)(length | 0x80);
            length >>= 7;
        }
        target[at++] = (byte)length;
        value.CopyTo(target.AsSpan(at));
        return at + value.Length;
    }

    private static int ReadLength(byte[] lp, ref int offset)
    {
        int length = 0, shift = 0;
        byte b;
        do
        {
            b = lp[offset++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return length;
    }
}
