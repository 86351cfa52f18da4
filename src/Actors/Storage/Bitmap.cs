using System.Numerics;
using System.Runtime.InteropServices;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// Bit-level operations on a string value seen as a bitmap (Redis's bitops.c helpers): bit 0 is the most significant
/// bit of the first byte, as SETBIT, BITPOS and BITFIELD number them. Plain functions over spans: no state.
/// </summary>
public static class Bitmap
{
    /// <summary>Redis's redisPopcount: the number of set bits, a word at a time (the POPCNT instruction).</summary>
    public static long PopCount(ReadOnlySpan<byte> s)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(s);
        long n0 = 0, n1 = 0, n2 = 0, n3 = 0;
        var i = 0;
        for (; i + 4 <= words.Length; i += 4)
        {
            n0 += BitOperations.PopCount(words[i]);
            n1 += BitOperations.PopCount(words[i + 1]);
            n2 += BitOperations.PopCount(words[i + 2]);
            n3 += BitOperations.PopCount(words[i + 3]);
        }
        for (; i < words.Length; i++) n0 += BitOperations.PopCount(words[i]);
        for (var j = words.Length * sizeof(ulong); j < s.Length; j++) n1 += BitOperations.PopCount(s[j]);
        return n0 + n1 + n2 + n3;
    }

    /// <summary>The set bits of the bit range [<paramref name="startBit"/>, <paramref name="endBit"/>] (both inside
    /// <paramref name="s"/>): the whole bytes' count less the bits of the edge bytes outside the range, as
    /// bitcountCommand subtracts its edge masks.</summary>
    public static long PopCountBits(ReadOnlySpan<byte> s, long startBit, long endBit)
    {
        var first = (int)(startBit >> 3);
        var last = (int)(endBit >> 3);
        var count = PopCount(s[first..(last + 1)]);
        var before = (byte)~(0xFF >> (int)(startBit & 7)); // bits of the first byte left of startBit
        var after = (byte)((1 << (7 - (int)(endBit & 7))) - 1); // bits of the last byte right of endBit
        return count - BitOperations.PopCount((uint)(s[first] & before)) - BitOperations.PopCount((uint)(s[last] & after));
    }

    /// <summary>
    /// The position of the first bit equal to <paramref name="bit"/> in the bit range [<paramref name="startBit"/>,
    /// <paramref name="endBit"/>] (both inside <paramref name="s"/>), or -1 when there is none. What redisBitpos and
    /// bitposCommand's edge masks compute, with the whole bytes between the edges skipped by a vectorised search.
    /// </summary>
    public static long FindBit(ReadOnlySpan<byte> s, int bit, long startBit, long endBit)
    {
        var first = (int)(startBit >> 3);
        var last = (int)(endBit >> 3);
        var flip = bit == 1 ? 0 : 0xFF; // looking for a 0 is looking for a 1 in the complement
        var headMask = 0xFF >> (int)(startBit & 7);
        var tailMask = (0xFF << (7 - (int)(endBit & 7))) & 0xFF;

        var head = (s[first] ^ flip) & headMask;
        if (first == last) head &= tailMask;
        if (head != 0) return ((long)first << 3) + FirstOne(head);
        if (first == last) return -1;

        var middle = s[(first + 1)..last];
        var at = middle.IndexOfAnyExcept((byte)flip);
        if (at >= 0)
        {
            var index = first + 1 + at;
            return ((long)index << 3) + FirstOne(s[index] ^ flip);
        }

        var tail = (s[last] ^ flip) & tailMask;
        return tail != 0 ? ((long)last << 3) + FirstOne(tail) : -1;
    }

    /// <summary>The position (0 = most significant) of the highest set bit of a non-zero byte.</summary>
    private static int FirstOne(int b) => BitOperations.LeadingZeroCount((uint)b) - 24;

    /// <summary>Redis's getUnsignedBitfield, reading bytes past the end of <paramref name="s"/> as zeros (what
    /// BITFIELD GET's zero-padded copy does): <paramref name="bits"/> (1..64) bits from bit <paramref name="offset"/>,
    /// the first one most significant.</summary>
    public static ulong GetUnsigned(ReadOnlySpan<byte> s, ulong offset, int bits)
    {
        // Gather the (at most 9) bytes the field touches into a 128-bit big-endian window, then shift it out.
        var firstByte = offset >> 3;
        var shift = (int)(offset & 7);
        var byteCount = (shift + bits + 7) >> 3;
        UInt128 window = 0;
        for (var i = 0; i < byteCount; i++)
        {
            var index = firstByte + (ulong)i;
            window = (window << 8) | (index < (ulong)s.Length ? s[(int)index] : 0u);
        }
        window >>= byteCount * 8 - shift - bits;
        return (ulong)window & (bits == 64 ? ulong.MaxValue : (1UL << bits) - 1);
    }

    /// <summary>Redis's getSignedBitfield: the field read as two's complement (its top bit is the sign).</summary>
    public static long GetSigned(ReadOnlySpan<byte> s, ulong offset, int bits)
    {
        var value = GetUnsigned(s, offset, bits);
        if (bits < 64 && (value & (1UL << (bits - 1))) != 0) value |= ulong.MaxValue << bits;
        return (long)value;
    }

    /// <summary>Redis's setUnsignedBitfield: writes the low <paramref name="bits"/> bits of <paramref name="value"/>
    /// at bit <paramref name="offset"/> (the field must lie inside <paramref name="s"/>). A signed value is written as
    /// its two's complement bits (setSignedBitfield).</summary>
    public static void SetBits(Span<byte> s, ulong offset, int bits, ulong value)
    {
        for (var j = 0; j < bits; j++)
        {
            var on = (value >> (bits - 1 - j)) & 1;
            var index = (int)(offset >> 3);
            var shift = 7 - (int)(offset & 7);
            s[index] = (byte)((s[index] & ~(1 << shift)) | ((int)on << shift));
            offset++;
        }
    }

    /// <summary>Redis's checkUnsignedBitfieldOverflow: 0 when <paramref name="value"/> + <paramref name="incr"/>
    /// fits in <paramref name="bits"/> unsigned bits, 1 on overflow, -1 on underflow, with <paramref name="limit"/> the
    /// value to store instead under WRAP (the sum modulo 2^bits) or SAT (the bound). Redis's quirk kept: SET passes a
    /// negative value as its unsigned 64-bit pattern, so it overflows (SAT stores the maximum).</summary>
    public static int CheckUnsignedOverflow(ulong value, long incr, int bits, BitfieldOverflow mode, out ulong limit)
    {
        var max = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        var maxIncr = unchecked((long)(max - value));
        var minIncr = unchecked(-(long)value);
        limit = 0;
        int result;
        if (value > max || (incr > 0 && incr > maxIncr)) result = 1;
        else if (incr < 0 && incr < minIncr) result = -1;
        else return 0;
        limit = mode == BitfieldOverflow.Wrap ? unchecked(value + (ulong)incr) & max : result > 0 ? max : 0;
        return result;
    }

    /// <summary>Redis's checkSignedBitfieldOverflow: as <see cref="CheckUnsignedOverflow"/> for a signed field;
    /// WRAP keeps the low bits of the sum and sign-extends them.</summary>
    public static int CheckSignedOverflow(long value, long incr, int bits, BitfieldOverflow mode, out long limit)
    {
        var max = bits == 64 ? long.MaxValue : (1L << (bits - 1)) - 1;
        var min = -max - 1;
        // These may wrap, but they are only compared once value is known to be within [min, max] (Redis's note).
        var maxIncr = unchecked((long)((ulong)max - (ulong)value));
        var minIncr = unchecked(min - value);
        limit = 0;
        int result;
        if (value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr)) result = 1;
        else if (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr)) result = -1;
        else return 0;
        if (mode == BitfieldOverflow.Wrap)
        {
            var sum = unchecked((ulong)value + (ulong)incr);
            if (bits < 64)
            {
                var high = ulong.MaxValue << bits;
                sum = (sum & (1UL << (bits - 1))) != 0 ? sum | high : sum & ~high;
            }
            limit = (long)sum;
        }
        else limit = result > 0 ? max : min;
        return result;
    }

    /// <summary>
    /// One step of BITOP: folds <paramref name="source"/> into <paramref name="result"/> (the accumulated first
    /// sources) with AND, OR or XOR; bytes past the end of <paramref name="source"/> count as zeros, as bitopCommand
    /// pads shorter (or missing) sources. NOT (one source only) complements <paramref name="result"/> itself.
    /// Vectorised: BITOP over big bitmaps is a memory-bandwidth loop.
    /// </summary>
    public static void Combine(Span<byte> result, ReadOnlySpan<byte> source, BitOperation op)
    {
        var n = Math.Min(result.Length, source.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<byte>.Count;
            for (; i + width <= n; i += width)
            {
                var a = new Vector<byte>(result[i..]);
                var b = new Vector<byte>(source[i..]);
                (op switch
                {
                    BitOperation.And => a & b,
                    BitOperation.Or => a | b,
                    BitOperation.Xor => a ^ b,
                    _ => ~a,
                }).CopyTo(result[i..]);
            }
        }
        for (; i < n; i++)
            result[i] = op switch
            {
                BitOperation.And => (byte)(result[i] & source[i]),
                BitOperation.Or => (byte)(result[i] | source[i]),
                BitOperation.Xor => (byte)(result[i] ^ source[i]),
                _ => (byte)~result[i],
            };
        // Past the source's end: AND with zeros clears, OR and XOR with zeros keep.
        if (op == BitOperation.And && n < result.Length) result[n..].Clear();
    }
}

/// <summary>BITFIELD's OVERFLOW modes (Redis's BFOVERFLOW_*).</summary>
public enum BitfieldOverflow { Wrap, Sat, Fail }

/// <summary>BITOP's operations (Redis's BITOP_*).</summary>
public enum BitOperation { And, Or, Xor, Not }
