using System.Numerics;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

/// <summary>The bit helpers of the bitmap commands against naive bit-by-bit models (BigInteger for BITFIELD's
/// arithmetic), over random strings and the edges: unaligned ranges, ranges inside one byte, all-ones/all-zeros runs
/// longer than a vector, every field width and overflow mode.</summary>
public sealed class BitmapTests
{
    private static bool BitAt(ReadOnlySpan<byte> s, long i) => (s[(int)(i >> 3)] & (1 << (7 - (int)(i & 7)))) != 0;

    private static byte[] RandomBitmap(Random rng, int length)
    {
        var bytes = new byte[length];
        switch (rng.Next(4))
        {
            case 0: rng.NextBytes(bytes); break;
            case 1: Array.Fill(bytes, (byte)0xFF); break; // long runs: the vectorised skips
            case 2: break;
            default:
                rng.NextBytes(bytes);
                for (var i = 0; i < length; i++) if (rng.Next(4) != 0) bytes[i] = rng.Next(2) == 0 ? (byte)0 : (byte)0xFF;
                break;
        }
        return bytes;
    }

    [Fact]
    public void PopCount_counts_every_set_bit()
    {
        var rng = new Random(1);
        for (var round = 0; round < 300; round++)
        {
            var bytes = RandomBitmap(rng, rng.Next(0, 200));
            long expected = 0;
            for (long i = 0; i < bytes.Length * 8L; i++) if (BitAt(bytes, i)) expected++;
            Assert.Equal(expected, Bitmap.PopCount(bytes));
        }
    }

    [Fact]
    public void PopCountBits_counts_only_the_bit_range()
    {
        var rng = new Random(2);
        for (var round = 0; round < 2000; round++)
        {
            var bytes = RandomBitmap(rng, rng.Next(1, 70));
            var bits = bytes.Length * 8L;
            var start = rng.NextInt64(bits);
            var end = start + rng.NextInt64(bits - start);
            long expected = 0;
            for (var i = start; i <= end; i++) if (BitAt(bytes, i)) expected++;
            Assert.Equal(expected, Bitmap.PopCountBits(bytes, start, end));
        }
    }

    [Fact]
    public void FindBit_finds_the_first_matching_bit_in_the_range_or_minus_one()
    {
        var rng = new Random(3);
        for (var round = 0; round < 4000; round++)
        {
            var bytes = RandomBitmap(rng, rng.Next(1, 90));
            var bits = bytes.Length * 8L;
            var start = rng.NextInt64(bits);
            var end = start + rng.NextInt64(bits - start);
            var bit = rng.Next(2);
            long expected = -1;
            for (var i = start; i <= end; i++)
            {
                if (BitAt(bytes, i) != (bit == 1)) continue;
                expected = i;
                break;
            }
            Assert.Equal(expected, Bitmap.FindBit(bytes, bit, start, end));
        }
    }

    [Fact]
    public void FindBit_edges()
    {
        byte[] ones = [0xFF, 0xFF, 0xFF];
        Assert.Equal(-1, Bitmap.FindBit(ones, 0, 0, 23));
        Assert.Equal(3, Bitmap.FindBit(ones, 1, 3, 3));
        byte[] pattern = [0x00, 0x01, 0x80];
        Assert.Equal(15, Bitmap.FindBit(pattern, 1, 0, 23));
        Assert.Equal(15, Bitmap.FindBit(pattern, 1, 9, 16));
        Assert.Equal(16, Bitmap.FindBit(pattern, 1, 16, 23));
        Assert.Equal(-1, Bitmap.FindBit(pattern, 1, 17, 23));
        Assert.Equal(-1, Bitmap.FindBit(pattern, 1, 0, 14));
    }

    [Fact]
    public void GetUnsigned_and_SetBits_round_trip_at_any_offset_and_width_reading_zeros_past_the_end()
    {
        var rng = new Random(4);
        for (var round = 0; round < 3000; round++)
        {
            var bytes = RandomBitmap(rng, rng.Next(1, 20));
            var bits = rng.Next(1, 65);
            var offset = (ulong)rng.Next(0, bytes.Length * 8 + 16);
            // Model: bit by bit, zeros past the end.
            ulong expected = 0;
            for (var j = 0; j < bits; j++)
            {
                var i = (long)offset + j;
                expected = (expected << 1) | (i < bytes.Length * 8L && BitAt(bytes, i) ? 1UL : 0UL);
            }
            Assert.Equal(expected, Bitmap.GetUnsigned(bytes, offset, bits));

            var big = new byte[bytes.Length + 10];
            bytes.CopyTo(big, 0);
            var before = (byte[])big.Clone();
            var value = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40);
            Bitmap.SetBits(big, offset, bits, value);
            var mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
            Assert.Equal(value & mask, Bitmap.GetUnsigned(big, offset, bits));
            for (long i = 0; i < big.Length * 8L; i++) // nothing outside the field changed
                if (i < (long)offset || i >= (long)offset + bits) Assert.Equal(BitAt(before, i), BitAt(big, i));
            var signed = Bitmap.GetSigned(big, offset, bits);
            var expectedSigned = (long)(value & mask);
            if (bits < 64 && (expectedSigned & (1L << (bits - 1))) != 0) expectedSigned -= 1L << bits;
            Assert.Equal(expectedSigned, signed);
        }
    }

    private static readonly long[] Interesting =
        [0, 1, -1, 2, -2, 7, -8, 100, -100, 127, -128, 255, 256, long.MaxValue, long.MinValue, long.MaxValue - 1, long.MinValue + 1, 1L << 62, -(1L << 62)];

    private static long Draw(Random rng) => rng.Next(3) switch
    {
        0 => Interesting[rng.Next(Interesting.Length)],
        1 => rng.Next(-300, 300),
        _ => rng.NextInt64(long.MinValue, long.MaxValue) >> rng.Next(64),
    };

    /// <summary>The model: exact arithmetic, then WRAP (modulo 2^bits, sign-extended when signed), SAT (clamp) or
    /// overflow reported. An unsigned SET value is its 64-bit pattern (Redis's quirk: -1 is 2^64-1, an overflow).</summary>
    private static (int Overflow, BigInteger Result) Model(BigInteger value, long incr, int bits, bool signed, BitfieldOverflow mode)
    {
        var min = signed ? -(BigInteger.One << (bits - 1)) : BigInteger.Zero;
        var max = signed ? (BigInteger.One << (bits - 1)) - 1 : (BigInteger.One << bits) - 1;
        var sum = value + incr;
        var overflow = sum > max ? 1 : sum < min ? -1 : 0;
        // Redis's second quirk (checkSignedBitfieldOverflow's maxincr = max - value wraps for a value far below the
        // range): such a SET counts as an overflow, so SAT stores the maximum (BITFIELD k OVERFLOW SAT SET i24 0
        // -9223372036854775808 stores 8388607 on redis-server 7.0.15 too).
        if (signed && bits < 64 && max - value > long.MaxValue) overflow = 1;
        if (overflow == 0) return (0, sum);
        if (mode == BitfieldOverflow.Sat) return (overflow, overflow > 0 ? max : min);
        var modulus = BigInteger.One << bits;
        var wrapped = ((sum % modulus) + modulus) % modulus;
        if (signed && wrapped > max) wrapped -= modulus;
        return (overflow, wrapped);
    }

    [Theory]
    [InlineData(BitfieldOverflow.Wrap)]
    [InlineData(BitfieldOverflow.Sat)]
    [InlineData(BitfieldOverflow.Fail)]
    public void Overflow_checks_match_exact_arithmetic_for_every_width(BitfieldOverflow mode)
    {
        var rng = new Random(5 + (int)mode);
        for (var round = 0; round < 40000; round++)
        {
            var signed = rng.Next(2) == 0;
            var bits = rng.Next(1, signed ? 65 : 64);
            var isSet = rng.Next(3) == 0; // SET: the new value with no increment; INCRBY: a current field value plus an increment
            if (signed)
            {
                long value;
                if (isSet) value = Draw(rng);
                else
                {
                    var buffer = new byte[8];
                    Bitmap.SetBits(buffer, 0, bits, (ulong)Draw(rng));
                    value = Bitmap.GetSigned(buffer, 0, bits);
                }
                var incr = isSet ? 0 : Draw(rng);
                var result = Bitmap.CheckSignedOverflow(value, incr, bits, mode, out var limit);
                var (overflow, expected) = Model(value, incr, bits, signed: true, mode);
                Assert.True(overflow == result, $"i{bits} {value} + {incr}: {result} vs model {overflow}");
                if (result != 0 && mode != BitfieldOverflow.Fail) Assert.Equal(expected, (BigInteger)limit);
            }
            else
            {
                ulong value;
                if (isSet) value = (ulong)Draw(rng);
                else
                {
                    var buffer = new byte[8];
                    Bitmap.SetBits(buffer, 0, bits, (ulong)Draw(rng));
                    value = Bitmap.GetUnsigned(buffer, 0, bits);
                }
                var incr = isSet ? 0 : Draw(rng);
                var result = Bitmap.CheckUnsignedOverflow(value, incr, bits, mode, out var limit);
                var (overflow, expected) = Model(value, incr, bits, signed: false, mode);
                // Redis reports an out-of-range unsigned SET value (2^64-1 for -1) as an overflow, never an underflow.
                Assert.True(overflow == result, $"u{bits} {value} + {incr}: {result} vs model {overflow}");
                if (result != 0 && mode != BitfieldOverflow.Fail) Assert.Equal(expected, (BigInteger)limit);
            }
        }
    }

    [Theory]
    [InlineData(BitOperation.And)]
    [InlineData(BitOperation.Or)]
    [InlineData(BitOperation.Xor)]
    public void Combine_pads_shorter_sources_with_zeros(BitOperation op)
    {
        var rng = new Random(6 + (int)op);
        for (var round = 0; round < 300; round++)
        {
            var result = RandomBitmap(rng, rng.Next(0, 150));
            var source = RandomBitmap(rng, rng.Next(0, 150));
            var expected = new byte[result.Length];
            for (var i = 0; i < result.Length; i++)
            {
                var b = i < source.Length ? source[i] : (byte)0;
                expected[i] = op switch
                {
                    BitOperation.And => (byte)(result[i] & b),
                    BitOperation.Or => (byte)(result[i] | b),
                    _ => (byte)(result[i] ^ b),
                };
            }
            Bitmap.Combine(result, source, op);
            Assert.Equal(expected, result);
        }
    }

    [Fact]
    public void Combine_not_complements_in_place()
    {
        var bytes = new byte[77];
        new Random(9).NextBytes(bytes);
        var expected = bytes.Select(b => (byte)~b).ToArray();
        Bitmap.Combine(bytes, bytes, BitOperation.Not);
        Assert.Equal(expected, bytes);
    }
}
