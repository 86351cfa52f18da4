using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// Redis 7.0's HyperLogLog (hyperloglog.c) over the bytes of a string value, byte for byte: a 16-byte header
/// ("HYLL", the encoding, 3 unused bytes, the cached cardinality little-endian with its "invalid" top bit), then
/// either 16384 dense 6-bit registers packed from the LSB of each byte, or the sparse run-length opcodes ZERO
/// (00xxxxxx), XZERO (01xxxxxx yyyyyyyy) and VAL (1vvvvvxx). A key built here GETs the same bytes as redis-server's
/// for the same PFADDs, and bytes written by redis-server work here. Plain code: no keys, no replies.
/// </summary>
/// <remarks>
/// Where Redis reads one byte past the end of the sds string (the last register's neighbour, the second byte of an
/// XZERO that ends a corrupted sparse string) it reads the sds terminator: a zero. The functions here read a zero
/// there too, without touching memory past the value.
/// </remarks>
public static class HyperLogLog
{
    public const int HeaderSize = 16;
    /// <summary>HLL_P: index bits; HLL_Q: the bits left for the run of zeros.</summary>
    public const int P = 14, Q = 64 - P;
    public const int Registers = 1 << P;
    public const int RegisterBits = 6, RegisterMax = (1 << RegisterBits) - 1;
    public const int DenseSize = HeaderSize + (Registers * RegisterBits + 7) / 8;
    /// <summary>The encoding byte (offset 4). HLL_RAW (one byte per register) is internal to multi-key PFCOUNT.</summary>
    public const byte Dense = 0, Sparse = 1, MaxEncoding = 1;
    public const int SparseValMaxValue = 32, SparseValMaxLen = 4, SparseZeroMaxLen = 64, SparseXZeroMaxLen = 16384;
    /// <summary>createHLLObject: the header and one XZERO:16384.</summary>
    public const int EmptySparseSize = HeaderSize + 2;
    private const ulong HashSeed = 0xadc83b19UL;
    /// <summary>HLL_ALPHA_INF: 0.5/ln(2).</summary>
    private const double AlphaInf = 0.721347520444481703680;

    // ---- hashing -------------------------------------------------------------------------------------------------

    /// <summary>MurmurHash2, 64-bit (MurmurHash64A), as Redis's endian-neutral copy of it.</summary>
    public static ulong MurmurHash64A(ReadOnlySpan<byte> key, ulong seed)
    {
        const ulong m = 0xc6a4a7935bd1e995UL;
        const int r = 47;
        var h = seed ^ ((ulong)key.Length * m);
        var blocks = key.Length & ~7;
        for (var i = 0; i < blocks; i += 8)
        {
            var k = BinaryPrimitives.ReadUInt64LittleEndian(key.Slice(i, 8));
            k *= m;
            k ^= k >> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        var tail = key.Length & 7;
        if (tail != 0)
        {
            for (var i = tail - 1; i >= 0; i--) h ^= (ulong)key[blocks + i] << (8 * i);
            h *= m;
        }
        h ^= h >> r;
        h *= m;
        h ^= h >> r;
        return h;
    }

    /// <summary>hllPatLen: the register the element hashes to (the low 14 bits), and the length of the "000..1"
    /// pattern in the other 50 bits (a sentinel bit above them caps it at 51).</summary>
    public static int PatLen(ReadOnlySpan<byte> element, out int index)
    {
        var hash = MurmurHash64A(element, HashSeed);
        index = (int)(hash & (Registers - 1));
        hash >>= P;
        hash |= 1UL << Q;
        return BitOperations.TrailingZeroCount(hash) + 1;
    }

    // ---- header --------------------------------------------------------------------------------------------------

    /// <summary>isHLLObjectOrReply's checks of a string value (not int-encoded): length, magic, encoding, and the
    /// exact dense length. Sparse opcodes are only checked where they are decoded.</summary>
    public static bool IsValid(ReadOnlySpan<byte> s)
    {
        if (s.Length < HeaderSize) return false;
        if (s[0] != 'H' || s[1] != 'Y' || s[2] != 'L' || s[3] != 'L') return false;
        if (s[4] > MaxEncoding) return false;
        return s[4] != Dense || s.Length == DenseSize;
    }

    public static byte EncodingOf(ReadOnlySpan<byte> hll) => hll[4];

    /// <summary>createHLLObject's bytes: the sparse header (cardinality cache 0, valid) and XZERO opcodes for all
    /// registers (one, as 16384 fits one XZERO).</summary>
    public static void WriteEmptySparse(Span<byte> dst)
    {
        dst[..EmptySparseSize].Clear();
        "HYLL"u8.CopyTo(dst);
        dst[4] = Sparse;
        var p = HeaderSize;
        for (var left = Registers; left > 0;)
        {
            var run = Math.Min(left, SparseXZeroMaxLen);
            SetXZero(dst, p, run);
            p += 2;
            left -= run;
        }
    }

    /// <summary>HLL_INVALIDATE_CACHE: the top bit of the cached cardinality's last byte.</summary>
    public static void InvalidateCache(Span<byte> hll) => hll[15] |= 0x80;

    public static bool CacheValid(ReadOnlySpan<byte> hll) => (hll[15] & 0x80) == 0;

    public static ulong CachedCardinality(ReadOnlySpan<byte> hll) => BinaryPrimitives.ReadUInt64LittleEndian(hll.Slice(8, 8));

    public static void SetCachedCardinality(Span<byte> hll, ulong card) => BinaryPrimitives.WriteUInt64LittleEndian(hll.Slice(8, 8), card);

    // ---- dense ---------------------------------------------------------------------------------------------------

    /// <summary>HLL_DENSE_GET_REGISTER over the registers (the bytes after the header).</summary>
    public static int GetRegister(ReadOnlySpan<byte> registers, int index)
    {
        var bit = index * RegisterBits;
        var b = bit >> 3;
        var fb = bit & 7;
        uint word = registers[b];
        if (fb > 8 - RegisterBits) word |= (uint)registers[b + 1] << 8; // the register spills into the next byte
        return (int)((word >> fb) & RegisterMax);
    }

    /// <summary>HLL_DENSE_SET_REGISTER (<paramref name="value"/> already within 0..63).</summary>
    public static void SetRegister(Span<byte> registers, int index, int value)
    {
        var bit = index * RegisterBits;
        var b = bit >> 3;
        var fb = bit & 7;
        registers[b] = (byte)((registers[b] & ~(RegisterMax << fb)) | (value << fb));
        if (fb > 8 - RegisterBits)
        {
            var fb8 = 8 - fb;
            registers[b + 1] = (byte)((registers[b + 1] & ~(RegisterMax >> fb8)) | (value >> fb8));
        }
    }

    /// <summary>hllDenseSet: raises the register to <paramref name="count"/>; true when it changed.</summary>
    public static bool DenseSet(Span<byte> registers, int index, int count)
    {
        if (count <= GetRegister(registers, index)) return false;
        SetRegister(registers, index, count);
        return true;
    }

    /// <summary>hllDenseAdd on a dense HLL's bytes (header included): true when a register changed.</summary>
    public static bool DenseAdd(Span<byte> hll, ReadOnlySpan<byte> element)
    {
        var count = PatLen(element, out var index);
        return DenseSet(hll[HeaderSize..], index, count);
    }

    /// <summary>hllDenseRegHisto: four registers in every three bytes.</summary>
    private static void DenseHistogram(ReadOnlySpan<byte> registers, Span<int> histogram)
    {
        for (var b = 0; b < Registers * RegisterBits / 8; b += 3)
        {
            int r0 = registers[b], r1 = registers[b + 1], r2 = registers[b + 2];
            histogram[r0 & 63]++;
            histogram[((r0 >> 6) | (r1 << 2)) & 63]++;
            histogram[((r1 >> 4) | (r2 << 4)) & 63]++;
            histogram[r2 >> 2]++;
        }
    }

    // ---- sparse --------------------------------------------------------------------------------------------------

    private static bool IsZero(byte op) => (op & 0xc0) == 0;
    private static bool IsXZero(byte op) => (op & 0xc0) == 0x40;
    private static bool IsVal(byte op) => (op & 0x80) != 0;
    private static int ZeroLen(byte op) => (op & 0x3f) + 1;
    private static int XZeroLen(byte op, byte next) => (((op & 0x3f) << 8) | next) + 1;
    private static int ValValue(byte op) => ((op >> 2) & 0x1f) + 1;
    private static int ValLen(byte op) => (op & 0x3) + 1;
    private static byte Val(int value, int len) => (byte)(((value - 1) << 2) | (len - 1) | 0x80);
    private static byte Zero(int len) => (byte)(len - 1);

    private static void SetXZero(Span<byte> s, int p, int len)
    {
        var l = len - 1;
        s[p] = (byte)((l >> 8) | 0x40);
        s[p + 1] = (byte)(l & 0xff);
    }

    /// <summary>The byte at <paramref name="p"/>, or the sds terminator's zero at the end.</summary>
    private static byte At(ReadOnlySpan<byte> s, int p) => p < s.Length ? s[p] : (byte)0;

    /// <summary>One opcode of a sparse body: its run length, its register value (0 for ZERO/XZERO) and its size.</summary>
    private static int Opcode(ReadOnlySpan<byte> s, int p, out int value, out int size)
    {
        var op = s[p];
        size = 1;
        value = 0;
        if (IsZero(op)) return ZeroLen(op);
        if (IsVal(op))
        {
            value = ValValue(op);
            return ValLen(op);
        }
        size = 2;
        return XZeroLen(op, At(s, p + 1));
    }

    /// <summary>hllSparseToDense: writes the registers of a sparse HLL into <paramref name="dense"/>
    /// (<see cref="DenseSize"/> bytes), header copied (cached cardinality included) with the dense encoding. False when
    /// the opcodes do not cover exactly 16384 registers, or a VAL runs past the last one.</summary>
    public static bool SparseToDense(ReadOnlySpan<byte> sparse, Span<byte> dense)
    {
        dense[..DenseSize].Clear();
        sparse[..HeaderSize].CopyTo(dense);
        dense[4] = Dense;
        var registers = dense[HeaderSize..];
        var idx = 0;
        for (var p = HeaderSize; p < sparse.Length;)
        {
            var run = Opcode(sparse, p, out var value, out var size);
            if (value != 0)
            {
                if (run + idx > Registers) return false; // a VAL past the last register (7.0.15 fails here, not at the end)
                for (var i = 0; i < run; i++) SetRegister(registers, idx++, value);
            }
            else idx += run;
            p += size;
        }
        return idx == Registers;
    }

    /// <summary>hllSparseRegHisto: false (Redis's *invalid) when the opcodes do not cover exactly 16384 registers.</summary>
    private static bool SparseHistogram(ReadOnlySpan<byte> sparse, Span<int> histogram)
    {
        var idx = 0;
        for (var p = HeaderSize; p < sparse.Length;)
        {
            var run = Opcode(sparse, p, out var value, out var size);
            idx += run;
            histogram[value] += run;
            p += size;
        }
        return idx == Registers;
    }

    /// <summary>PFDEBUG DECODE: the opcodes as "z:N", "Z:N" and "v:VALUE,N", space separated.</summary>
    public static string Decode(ReadOnlySpan<byte> sparse)
    {
        var sb = new StringBuilder();
        for (var p = HeaderSize; p < sparse.Length;)
        {
            var op = sparse[p];
            var run = Opcode(sparse, p, out var value, out var size);
            if (sb.Length > 0) sb.Append(' ');
            if (IsZero(op)) sb.Append("z:").Append(run);
            else if (IsXZero(op)) sb.Append("Z:").Append(run);
            else sb.Append("v:").Append(value).Append(',').Append(run);
            p += size;
        }
        return sb.ToString();
    }

    // ---- merge and count -----------------------------------------------------------------------------------------

    /// <summary>hllMerge: max[i] = MAX(max[i], hll[i]) over one byte per register. False for a sparse HLL whose
    /// opcodes do not cover exactly 16384 registers, or whose VAL runs past the last one.</summary>
    public static bool Merge(Span<byte> max, ReadOnlySpan<byte> hll)
    {
        if (hll[4] == Dense)
        {
            var registers = hll[HeaderSize..];
            for (var i = 0; i < Registers; i++)
            {
                var v = (byte)GetRegister(registers, i);
                if (v > max[i]) max[i] = v;
            }
            return true;
        }
        var idx = 0;
        for (var p = HeaderSize; p < hll.Length;)
        {
            var run = Opcode(hll, p, out var value, out var size);
            if (value != 0)
            {
                if (run + idx > Registers) return false; // a VAL past the last register (7.0.15 fails here, not at the end)
                for (var i = 0; i < run; i++, idx++)
                    if (value > max[idx]) max[idx] = (byte)value;
            }
            else idx += run;
            p += size;
        }
        return idx == Registers;
    }

    /// <summary>hllCount of a dense or sparse HLL; <paramref name="invalid"/> for sparse opcodes that do not cover
    /// exactly the registers.</summary>
    public static ulong Count(ReadOnlySpan<byte> hll, out bool invalid)
    {
        Span<int> histogram = stackalloc int[64];
        histogram.Clear();
        invalid = false;
        if (hll[4] == Dense) DenseHistogram(hll[HeaderSize..], histogram);
        else invalid = !SparseHistogram(hll, histogram);
        return Estimate(histogram);
    }

    /// <summary>hllCount of the internal HLL_RAW form: one byte per register (multi-key PFCOUNT's union).</summary>
    public static ulong CountRaw(ReadOnlySpan<byte> registers)
    {
        Span<int> histogram = stackalloc int[64];
        histogram.Clear();
        for (var i = 0; i < Registers; i++) histogram[registers[i] & 63]++;
        return Estimate(histogram);
    }

    /// <summary>The improved estimator of Redis 7.0's hllCount (Otmar Ertl, "New cardinality estimation algorithms
    /// for HyperLogLog sketches", arXiv:1702.01284), in the same order of floating-point operations.</summary>
    private static ulong Estimate(ReadOnlySpan<int> histogram)
    {
        const double m = Registers;
        var z = m * Tau((m - histogram[Q + 1]) / m);
        for (var j = Q; j >= 1; --j)
        {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * Sigma(histogram[0] / m);
        // E = llroundl(...) then (uint64_t)E: halves away from zero; out of range (every register at 63 in a
        // hand-written dense HLL) llroundl gives LLONG_MIN, which comes back as 0x8000000000000000 (and PFCOUNT then
        // stores a cardinality whose "invalid" bit is set).
        var e = AlphaInf * m * m / z;
        if (!(e < 9223372036854775808.0 && e >= -9223372036854775808.0)) return 0x8000000000000000UL;
        return (ulong)(long)Math.Round(e, MidpointRounding.AwayFromZero);
    }

    /// <summary>hllSigma.</summary>
    private static double Sigma(double x)
    {
        if (x == 1.0) return double.PositiveInfinity;
        double zPrime;
        var y = 1.0;
        var z = x;
        do
        {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    /// <summary>hllTau.</summary>
    private static double Tau(double x)
    {
        if (x == 0.0 || x == 1.0) return 0.0;
        double zPrime;
        var y = 1.0;
        var z = 1 - x;
        do
        {
            x = Math.Sqrt(x);
            zPrime = z;
            y *= 0.5;
            z -= Math.Pow(1 - x, 2) * y;
        } while (zPrime != z);
        return z / 3;
    }
}

/// <summary>
/// A working copy of one HLL's bytes that can grow, for the writes that may change the length of a sparse HLL
/// (hllSparseSet's splits, the promotion to dense). Reused by its owner between commands: nothing is allocated per
/// element once it has grown to the sizes in use.
/// </summary>
public sealed class HllBuffer
{
    private byte[] _data = new byte[HyperLogLog.DenseSize + 8];

    /// <summary>The HLL's current length.</summary>
    public int Length { get; private set; }

    /// <summary>What Redis's sds holding these bytes would have allocated for them (sdsalloc): hllSparseSet grows it
    /// by sdsMakeRoomFor(3) and never shrinks it; the caller stores the bytes with this much room, so that the key's
    /// MEMORY USAGE is redis-server's.</summary>
    public int Alloc { get; private set; }

    public Span<byte> Bytes => _data.AsSpan(0, Length);

    public byte Encoding => _data[4];

    /// <summary>Starts from a copy of <paramref name="hll"/>, stored with room for <paramref name="capacity"/> bytes
    /// (its sds alloc when it was grown; an exact one is the allocation's usable size, as sdsnewlen records it).</summary>
    public void Load(ReadOnlySpan<byte> hll, int capacity)
    {
        EnsureCapacity(hll.Length);
        hll.CopyTo(_data);
        SetLength(hll.Length);
        Alloc = capacity > hll.Length ? capacity : SdsUsable(hll.Length);
    }

    /// <summary>Starts from an empty sparse HLL (createHLLObject): an sdshdr5, without spare room.</summary>
    public void LoadEmpty()
    {
        EnsureCapacity(HyperLogLog.EmptySparseSize);
        HyperLogLog.WriteEmptySparse(_data);
        SetLength(HyperLogLog.EmptySparseSize);
        Alloc = HyperLogLog.EmptySparseSize;
    }

    /// <summary>sdsnewlen's alloc for <paramref name="length"/> bytes: none spare in an sdshdr5 (below 32), else the
    /// usable size of the allocation past the header and the terminator.</summary>
    private static int SdsUsable(int length)
    {
        if (length < 32) return length;
        var header = length < 256 ? 3 : length < 65536 ? 5 : 9;
        return (int)Jemalloc.SizeClass(header + length + 1) - header - 1;
    }

    /// <summary>hllAdd: 1 when a register changed, 0 when not, -1 for a corrupted sparse HLL (or an encoding that is
    /// neither dense nor sparse).</summary>
    public int Add(ReadOnlySpan<byte> element, long sparseMaxBytes)
    {
        var count = HyperLogLog.PatLen(element, out var index);
        return Encoding switch
        {
            HyperLogLog.Dense => HyperLogLog.DenseSet(_data.AsSpan(HyperLogLog.HeaderSize, Length - HyperLogLog.HeaderSize), index, count) ? 1 : 0,
            HyperLogLog.Sparse => SparseSet(index, count, sparseMaxBytes),
            _ => -1,
        };
    }

    /// <summary>Sets a register whatever the encoding (PFMERGE's last step): hllDenseSet or hllSparseSet.</summary>
    public int Set(int index, int count, long sparseMaxBytes) =>
        Encoding == HyperLogLog.Dense
            ? HyperLogLog.DenseSet(_data.AsSpan(HyperLogLog.HeaderSize, Length - HyperLogLog.HeaderSize), index, count) ? 1 : 0
            : SparseSet(index, count, sparseMaxBytes);

    /// <summary>hllSparseToDense in place of the sparse bytes; false (bytes unchanged) when they are corrupted.
    /// A dense HLL stays as it is.</summary>
    public bool ToDense()
    {
        if (Encoding == HyperLogLog.Dense) return true;
        var dense = new byte[HyperLogLog.DenseSize + 8];
        if (!HyperLogLog.SparseToDense(Bytes, dense)) return false;
        _data = dense;
        SetLength(HyperLogLog.DenseSize);
        Alloc = HyperLogLog.DenseSize; // sdsnewlen: exact (the same jemalloc class as its usable size)
        return true;
    }

    /// <summary>
    /// hllSparseSet, step by step as Redis does it so that the bytes come out the same: find the opcode covering
    /// <paramref name="index"/>; nothing to do when it is a VAL >= count; rewrite a VAL or ZERO of length 1 in place;
    /// otherwise split the ZERO/XZERO/VAL run into up to three opcodes (promoting to dense when that would make the
    /// string longer than hll-sparse-max-bytes); then merge adjacent equal VALs among the next 5 opcodes from the
    /// previous one. A count above 32 (VAL's limit) promotes at once. 1 changed, 0 unchanged, -1 corrupted.
    /// </summary>
    public int SparseSet(int index, int count, long sparseMaxBytes)
    {
        if (count > HyperLogLog.SparseValMaxValue) return Promote(index, count);

        // sdsMakeRoomFor(3): greedy, to twice (length + 3), as Redis's sds grows. Plus the terminator a split at the
        // very end may write over, in this buffer.
        if (Alloc - Length < 3) Alloc = SdsUsable(2 * (Length + 3));
        EnsureCapacity(Length + 4);
        var d = _data;
        var end = Length;
        int p = HyperLogLog.HeaderSize, prev = -1, first = 0, span = 0;
        while (p < end)
        {
            var op = d[p];
            var oplen = 1;
            if ((op & 0xc0) == 0) span = (op & 0x3f) + 1;
            else if ((op & 0x80) != 0) span = (op & 0x3) + 1;
            else
            {
                span = (((op & 0x3f) << 8) | d[p + 1]) + 1; // d[end] is the terminator's zero
                oplen = 2;
            }
            if (index <= first + span - 1) break;
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) return -1;

        var cur = d[p];
        var isXZero = (cur & 0xc0) == 0x40;
        var isZero = (cur & 0xc0) == 0;
        var next = isXZero ? p + 2 : p + 1;
        if (next >= end) next = -1;
        var runlen = isZero ? (cur & 0x3f) + 1 : isXZero ? span : (cur & 0x3) + 1;

        if (!isZero && !isXZero)
        {
            var old = ((cur >> 2) & 0x1f) + 1;
            if (old >= count) return 0; // case A
            if (runlen == 1) // case B
            {
                d[p] = ValOp(count, 1);
                return Updated(prev, end);
            }
        }
        if (isZero && runlen == 1) // case C
        {
            d[p] = ValOp(count, 1);
            return Updated(prev, end);
        }

        // Case D: the general split, worst case XZERO-VAL-XZERO (5 bytes).
        Span<byte> seq = stackalloc byte[5];
        var n = 0;
        var last = first + span - 1;
        if (isZero || isXZero)
        {
            if (index != first) n += ZeroRun(seq, n, index - first);
            seq[n++] = ValOp(count, 1);
            if (index != last) n += ZeroRun(seq, n, last - index);
        }
        else
        {
            var curval = ((cur >> 2) & 0x1f) + 1;
            if (index != first) seq[n++] = ValOp(curval, index - first);
            seq[n++] = ValOp(count, 1);
            if (index != last) seq[n++] = ValOp(curval, last - index);
        }

        var oldlen = isXZero ? 2 : 1;
        var delta = n - oldlen;
        if (delta > 0 && Length + delta > sparseMaxBytes) return Promote(index, count);
        if (delta != 0 && next >= 0) d.AsSpan(next, end - next).CopyTo(d.AsSpan(next + delta));
        Length += delta;
        seq[..n].CopyTo(d.AsSpan(p));
        end += delta;
        d[Length] = 0;
        return Updated(prev, end);
    }

    private static byte ValOp(int value, int len) => (byte)(((value - 1) << 2) | (len - 1) | 0x80);

    /// <summary>A run of zeros as a ZERO (up to 64) or an XZERO; returns its size.</summary>
    private static int ZeroRun(Span<byte> seq, int n, int len)
    {
        if (len > HyperLogLog.SparseZeroMaxLen)
        {
            var l = len - 1;
            seq[n] = (byte)((l >> 8) | 0x40);
            seq[n + 1] = (byte)(l & 0xff);
            return 2;
        }
        seq[n] = (byte)(len - 1);
        return 1;
    }

    /// <summary>hllSparseSet's step 4 (merge adjacent VALs of the same value from the previous opcode, up to 5
    /// opcodes) and the cache invalidation.</summary>
    private int Updated(int prev, int end)
    {
        var d = _data;
        var p = prev >= 0 ? prev : HyperLogLog.HeaderSize;
        var scanlen = 5;
        while (p < end && scanlen-- != 0)
        {
            var op = d[p];
            if ((op & 0xc0) == 0x40)
            {
                p += 2;
                continue;
            }
            if ((op & 0xc0) == 0)
            {
                p++;
                continue;
            }
            if (p + 1 < end && (d[p + 1] & 0x80) != 0)
            {
                var v1 = ((op >> 2) & 0x1f) + 1;
                var v2 = ((d[p + 1] >> 2) & 0x1f) + 1;
                if (v1 == v2)
                {
                    var len = (op & 0x3) + 1 + (d[p + 1] & 0x3) + 1;
                    if (len <= HyperLogLog.SparseValMaxLen)
                    {
                        d[p + 1] = ValOp(v1, len);
                        d.AsSpan(p + 1, end - p).CopyTo(d.AsSpan(p)); // memmove(p, p+1, end-p): the terminator too
                        Length--;
                        end--;
                        continue; // try to merge the merged value with the next one
                    }
                }
            }
            p++;
        }
        d[Length] = 0;
        HyperLogLog.InvalidateCache(Bytes);
        return 1;
    }

    /// <summary>hllSparseSet's promote: to dense, then hllDenseSet (1 in a valid HLL); -1 when the sparse form is corrupted.</summary>
    private int Promote(int index, int count)
    {
        if (!ToDense()) return -1;
        return HyperLogLog.DenseSet(_data.AsSpan(HyperLogLog.HeaderSize, Length - HyperLogLog.HeaderSize), index, count) ? 1 : 0;
    }

    private void SetLength(int length)
    {
        Length = length;
        _data[length] = 0;
    }

    private void EnsureCapacity(int length)
    {
        // One spare byte: the sds terminator that Redis's loops may read as a zero.
        if (_data.Length >= length + 1) return;
        var grown = new byte[Math.Max(length + 1, _data.Length * 2)];
        _data.AsSpan(0, Length).CopyTo(grown);
        _data = grown;
    }
}
