using System.Buffers.Binary;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// Redis's intset (intset.c): the compact form of a small set of integers, a sorted array of int16, int32 or int64
/// values that all share the width of the widest one, stored directly as the key's value (no wrapper object).
/// Layout: one byte with the width (2, 4 or 8), then the values in ascending order, little endian. Like Redis's
/// intset every change allocates an array of the new size (intsetResize reallocs) and the width only ever grows
/// (intsetUpgradeAndAdd): removing the one wide value keeps the others wide, as in Redis, which matters for MEMORY
/// USAGE. Arrays are never written once published, so a reply or a COPY may hold one safely.
/// </summary>
public static class IntSet
{
    private const int HeaderSize = 1;

    /// <summary>An empty intset of 16-bit values (intsetNew).</summary>
    public static byte[] Create() => [2];

    /// <summary>Bytes per value: 2, 4 or 8.</summary>
    public static int Width(byte[] set) => set[0];

    public static int Count(byte[] set) => (set.Length - HeaderSize) / set[0];

    /// <summary>intsetBlobLen: the bytes Redis's intset takes (its 8-byte header, then the values).</summary>
    public static long BlobLength(byte[] set) => 8 + (long)Count(set) * Width(set);

    /// <summary>The value at <paramref name="index"/> (ascending order).</summary>
    public static long Get(byte[] set, int index) => Read(set, set[0], index);

    /// <summary>_intsetValueEncoding: the narrowest width that holds <paramref name="value"/>.</summary>
    public static int WidthOf(long value) =>
        value is >= short.MinValue and <= short.MaxValue ? 2 : value is >= int.MinValue and <= int.MaxValue ? 4 : 8;

    public static bool Contains(byte[] set, long value) => WidthOf(value) <= set[0] && Search(set, value, out _);

    /// <summary>intsetAdd: a new array with <paramref name="value"/> in its place (widened when the value needs it),
    /// or <paramref name="set"/> itself, with <paramref name="added"/> false, when it is there already.</summary>
    public static byte[] Add(byte[] set, long value, out bool added)
    {
        var width = WidthOf(value);
        var count = Count(set);
        if (width > set[0])
        {
            // intsetUpgradeAndAdd: a value wider than all others is smaller or larger than every one of them, so it
            // goes first (negative) or last (positive).
            var upgraded = new byte[HeaderSize + (count + 1) * width];
            upgraded[0] = (byte)width;
            var offset = value < 0 ? 1 : 0;
            for (var i = 0; i < count; i++) Write(upgraded, width, i + offset, Get(set, i));
            Write(upgraded, width, value < 0 ? 0 : count, value);
            added = true;
            return upgraded;
        }
        if (Search(set, value, out var position))
        {
            added = false;
            return set;
        }
        var w = set[0];
        var result = new byte[set.Length + w];
        var split = HeaderSize + position * w;
        set.AsSpan(0, split).CopyTo(result);
        set.AsSpan(split).CopyTo(result.AsSpan(split + w));
        Write(result, w, position, value);
        added = true;
        return result;
    }

    /// <summary>intsetRemove: a new array without <paramref name="value"/> (same width), or <paramref name="set"/>
    /// itself, with <paramref name="removed"/> false, when it is not there.</summary>
    public static byte[] Remove(byte[] set, long value, out bool removed)
    {
        var position = 0;
        removed = WidthOf(value) <= set[0] && Search(set, value, out position);
        if (!removed) return set;
        var w = set[0];
        var result = new byte[set.Length - w];
        var split = HeaderSize + position * w;
        set.AsSpan(0, split).CopyTo(result);
        set.AsSpan(split + w).CopyTo(result.AsSpan(split));
        return result;
    }

    /// <summary>intsetSearch: true when found; otherwise <paramref name="position"/> is where it would go.</summary>
    private static bool Search(byte[] set, long value, out int position)
    {
        int low = 0, high = Count(set) - 1;
        var w = set[0];
        while (low <= high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            var current = Read(set, w, mid);
            if (current < value) low = mid + 1;
            else if (current > value) high = mid - 1;
            else
            {
                position = mid;
                return true;
            }
        }
        position = low;
        return false;
    }

    private static long Read(byte[] set, int width, int index)
    {
        var at = set.AsSpan(HeaderSize + index * width, width);
        return width switch
        {
            2 => BinaryPrimitives.ReadInt16LittleEndian(at),
            4 => BinaryPrimitives.ReadInt32LittleEndian(at),
            _ => BinaryPrimitives.ReadInt64LittleEndian(at),
        };
    }

    private static void Write(byte[] set, int width, int index, long value)
    {
        var at = set.AsSpan(HeaderSize + index * width, width);
        switch (width)
        {
            case 2: BinaryPrimitives.WriteInt16LittleEndian(at, (short)value); break;
            case 4: BinaryPrimitives.WriteInt32LittleEndian(at, (int)value); break;
            default: BinaryPrimitives.WriteInt64LittleEndian(at, value); break;
        }
    }
}
