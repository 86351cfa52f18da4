using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>
/// LZF as Redis builds liblzf (lzf_c.c / lzf_d.c with lzfP.h's HLOG 16, VERY_FAST, no ULTRA_FAST). The format:
/// <c>000LLLLL</c> + L+1 literal bytes; <c>LLLooooo oooooooo</c> a back reference of L+2 bytes at distance o+1;
/// <c>111ooooo LLLLLLLL oooooooo</c> one of L+9 bytes. Compression follows lzf_compress step by step (same hash,
/// same match rules, same output bounds) so a DUMP of a long string is byte-for-byte redis-server's; the only
/// liberty is a hash table that starts empty (Redis leaves it uninitialised on the stack, which in practice behaves
/// the same because stale slots fail the <c>ref &gt; in_data</c> / distance tests).
/// </summary>
public static class Lzf
{
    private const int HLog = 16;
    private const int HSize = 1 << HLog;
    private const int MaxLit = 1 << 5;
    private const int MaxOff = 1 << 13;
    private const int MaxRef = (1 << 8) + (1 << 3);

    // The hash table holds positions offset by a per-call base, so it never needs clearing: a slot written by an
    // earlier call is below the base and reads as "empty" (ref == in_data, which lzf_compress rejects).
    [ThreadStatic] private static long[]? _table;
    [ThreadStatic] private static long _base;

    private static int Index(uint h) => (int)(((h >> (3 * 8 - HLog)) - h * 5) & (HSize - 1));

    /// <summary>lzf_compress: the compressed bytes in <paramref name="output"/>, or 0 when they would not fit in
    /// it (Redis passes <c>len - 4</c> as the room: compression must save at least four bytes).</summary>
    public static int Compress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var inLen = input.Length;
        var outEnd = output.Length;
        if (inLen == 0 || outEnd == 0) return 0;
        var table = _table ??= new long[HSize];
        var tableBase = _base + 1;
        if (tableBase > long.MaxValue / 2) { Array.Clear(table); tableBase = 1; }
        _base = tableBase + inLen;

        var ip = 0;
        var op = 1; // start run
        var lit = 0;
        var hval = (uint)((input[0] << 8) | (inLen > 1 ? input[1] : 0));
        while (ip < inLen - 2)
        {
            hval = (hval << 8) | input[ip + 2];
            var slot = Index(hval);
            var stored = table[slot] - tableBase;
            var refPos = stored >= 0 ? (int)stored : 0; // an empty slot is in_data itself
            table[slot] = tableBase + ip;
            var off = ip - refPos - 1;
            if (off >= 0 && off < MaxOff && refPos > 0
                && input[refPos] == input[ip] && input[refPos + 1] == input[ip + 1] && input[refPos + 2] == input[ip + 2])
            {
                var len = 2;
                var maxLen = inLen - ip - len;
                if (maxLen > MaxRef) maxLen = MaxRef;
                output[op - lit - 1] = (byte)(lit - 1); // stop run
                if (lit == 0) op--;                      // undo run if length is zero
                if (op + 3 + 1 >= outEnd) return 0;

                // lzf_compress's loop: sixteen unchecked steps when maxlen > 16, then checked ones.
                var done = false;
                if (maxLen > 16)
                {
                    for (var k = 0; k < 16; k++)
                    {
                        len++;
                        if (input[refPos + len] != input[ip + len]) { done = true; break; }
                    }
                }
                if (!done)
                {
                    do len++;
                    while (len < maxLen && input[refPos + len] == input[ip + len]);
                }

                len -= 2; // len is now #octets - 1
                ip++;
                if (len < 7)
                {
                    output[op++] = (byte)((off >> 8) + (len << 5));
                }
                else
                {
                    output[op++] = (byte)((off >> 8) + (7 << 5));
                    output[op++] = (byte)(len - 7);
                }
                output[op++] = (byte)off;
                lit = 0; op++; // start run
                ip += len + 1;
                if (ip >= inLen - 2) break;

                // VERY_FAST: hash the last two positions of the match.
                ip -= 2;
                hval = (uint)((input[ip] << 8) | input[ip + 1]);
                hval = (hval << 8) | input[ip + 2];
                table[Index(hval)] = tableBase + ip;
                ip++;
                hval = (hval << 8) | input[ip + 2];
                table[Index(hval)] = tableBase + ip;
                ip++;
            }
            else
            {
                if (op >= outEnd) return 0;
                lit++; output[op++] = input[ip++];
                if (lit == MaxLit)
                {
                    output[op - lit - 1] = (byte)(lit - 1);
                    lit = 0; op++;
                }
            }
        }

        if (op + 3 > outEnd) return 0; // at most 3 bytes can be missing here
        while (ip < inLen)
        {
            lit++; output[op++] = input[ip++];
            if (lit == MaxLit)
            {
                output[op - lit - 1] = (byte)(lit - 1);
                lit = 0; op++;
            }
        }
        output[op - lit - 1] = (byte)(lit - 1); // end run
        if (lit == 0) op--;
        return op;
    }

    /// <summary>lzf_decompress with CHECK_INPUT: fills <paramref name="output"/> exactly or throws
    /// <see cref="RdbFormatException"/> (a run or reference out of bounds, or a length that does not add up). Every
    /// copy is bounds-checked once up front, then done without per-byte checks.</summary>
    public static void Decompress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        ref var outRef = ref MemoryMarshal.GetReference(output);
        var ip = 0;
        var op = 0;
        var inLen = input.Length;
        var outLen = output.Length;
        while (ip < inLen)
        {
            int ctrl = input[ip++];
            if (ctrl < 1 << 5)
            {
                var run = ctrl + 1;
                if (run > outLen - op || run > inLen - ip) throw Invalid();
                input.Slice(ip, run).CopyTo(output.Slice(op, run));
                ip += run;
                op += run;
                continue;
            }
            var len = ctrl >> 5;
            if (len == 7)
            {
                if (ip >= inLen) throw Invalid();
                len += input[ip++];
            }
            if (ip >= inLen) throw Invalid();
            var reference = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++];
            len += 2;
            if (len > outLen - op || reference < 0) throw Invalid();
            if (op - reference >= len)
            {
                // No overlap: one block copy.
                Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref outRef, op), ref Unsafe.Add(ref outRef, reference), (uint)len);
            }
            else
            {
                // Overlapping copies repeat bytes (distance 1 = a run of one byte): byte by byte, as lzf_d.c.
                for (var k = 0; k < len; k++) Unsafe.Add(ref outRef, op + k) = Unsafe.Add(ref outRef, reference + k);
            }
            op += len;
        }
        if (op != outLen) throw Invalid();
    }

    private static RdbFormatException Invalid() => new("Invalid LZF compressed string");
}
