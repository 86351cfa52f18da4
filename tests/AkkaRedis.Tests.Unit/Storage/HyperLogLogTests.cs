using System.Security.Cryptography;
using System.Text;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

/// <summary>
/// The HLL bytes against values recorded from redis-server 7.0.15 (GET, PFDEBUG DECODE, STRLEN after PFADDs), and
/// the representations' invariants: dense/sparse agreement, promotion, corruption detection.
/// </summary>
public sealed class HyperLogLogTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static HllBuffer Empty()
    {
        var h = new HllBuffer();
        h.LoadEmpty();
        return h;
    }

    private static string Sha(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The hashes (computed by an independent MurmurHash64A) whose register and run length redis-server's
    /// PFDEBUG DECODE shows after a PFADD of the element alone (e.g. "" -> Z:5938 v:2,1 Z:10445).</summary>
    [Theory]
    [InlineData("", 0xd8dfea6585bc9732UL, 5938, 2)]
    [InlineData("a", 0x53d2470a9b43b1a7UL, 12711, 2)]
    [InlineData("hello", 0x0f656f01eecfe400UL, 9216, 1)]
    [InlineData("foobar12", 0xb17792b5b755bc81UL, 15489, 2)]
    [InlineData("foobar123", 0xce43c1791ca0c27eUL, 638, 1)]
    [InlineData("The quick brown fox", 0xb8cb2a48ba03f3e4UL, 13284, 1)]
    public void MurmurHash64A_and_PatLen_match_redis(string element, ulong hash, int index, int count)
    {
        Assert.Equal(hash, HyperLogLog.MurmurHash64A(B(element), 0xadc83b19UL));
        Assert.Equal(count, HyperLogLog.PatLen(B(element), out var i));
        Assert.Equal(index, i);
        var h = Empty();
        Assert.Equal(1, h.Add(B(element), 3000));
        Assert.Equal($"Z:{index} v:{count},1 Z:{16383 - index}", HyperLogLog.Decode(h.Bytes));
    }

    [Fact]
    public void Binary_elements_hash_like_redis()
    {
        Assert.Equal(0xb4aa5d46e5449e0eUL, HyperLogLog.MurmurHash64A([0x00, 0xff, 0x10], 0xadc83b19UL));
    }

    [Fact]
    public void Bytes_are_redis_bytes_and_the_cache_is_written_back_as_redis_does()
    {
        // redis-server: PFADD k a b c; GET k; PFCOUNT k; GET k.
        var h = Empty();
        foreach (var e in new[] { "a", "b", "c" }) h.Add(B(e), 3000);
        var expected = Convert.FromHexString("48594C4C01000000000000000000008060F38050B1844BFB80425A");
        Assert.Equal(expected, h.Bytes.ToArray());
        Assert.False(HyperLogLog.CacheValid(h.Bytes));
        Assert.Equal(3UL, HyperLogLog.Count(h.Bytes, out var invalid));
        Assert.False(invalid);
        HyperLogLog.SetCachedCardinality(h.Bytes, 3);
        Assert.True(HyperLogLog.CacheValid(h.Bytes));
        Assert.Equal(3UL, HyperLogLog.CachedCardinality(h.Bytes));
    }

    [Fact]
    public void Empty_hll_is_one_xzero()
    {
        var h = Empty();
        Assert.Equal(HyperLogLog.EmptySparseSize, h.Length);
        Assert.Equal("Z:16384", HyperLogLog.Decode(h.Bytes));
        Assert.True(HyperLogLog.IsValid(h.Bytes));
        Assert.Equal(0UL, HyperLogLog.Count(h.Bytes, out _));
    }

    /// <summary>redis-server with the default hll-sparse-max-bytes 3000: PFADD k e0 .. e1682 one at a time leaves 3000
    /// sparse bytes; e1683 makes it dense. The bytes (SHA-256 of GET) and counts are redis-server's.</summary>
    [Fact]
    public void Sparse_grows_to_hll_sparse_max_bytes_then_turns_dense_where_redis_does()
    {
        var h = Empty();
        for (var i = 0; i < 1000; i++) h.Add(B($"e{i}"), 3000);
        Assert.Equal(1906, h.Length);
        Assert.Equal("519a7f0764d633e025ff9f8cdeb30cd2f452e2ad37f729f6b9ea7a4699791162", Sha(h.Bytes));
        Assert.Equal(1008UL, HyperLogLog.Count(h.Bytes, out _));
        for (var i = 1000; i < 1683; i++) h.Add(B($"e{i}"), 3000);
        Assert.Equal(HyperLogLog.Sparse, h.Encoding);
        Assert.Equal(3000, h.Length);
        Assert.Equal("36affd46ff09735c58ca0dd49480f9513269c3f59d659d1d0d80cc84f7e1fba2", Sha(h.Bytes));
        Assert.Equal(1, h.Add(B("e1683"), 3000));
        Assert.Equal(HyperLogLog.Dense, h.Encoding);
        Assert.Equal(HyperLogLog.DenseSize, h.Length);
        Assert.Equal("b6d36312181edce038a1ce5bef939a7398608493b859e471076e5cd02da67777", Sha(h.Bytes));
        Assert.Equal(1685UL, HyperLogLog.Count(h.Bytes, out _));
    }

    [Fact]
    public void A_register_above_32_promotes_at_once()
    {
        var h = Empty();
        Assert.Equal(1, h.SparseSet(100, 32, 3000));
        Assert.Equal(HyperLogLog.Sparse, h.Encoding);
        Assert.Equal(1, h.SparseSet(200, 33, 3000));
        Assert.Equal(HyperLogLog.Dense, h.Encoding);
        var registers = h.Bytes[HyperLogLog.HeaderSize..];
        Assert.Equal(32, HyperLogLog.GetRegister(registers, 100));
        Assert.Equal(33, HyperLogLog.GetRegister(registers, 200));
        Assert.Equal(0, HyperLogLog.GetRegister(registers, 201));
    }

    [Fact]
    public void Sparse_set_splits_and_merges_runs()
    {
        var h = Empty();
        h.SparseSet(1000, 2, 3000);
        h.SparseSet(1020, 3, 3000);
        h.SparseSet(1021, 3, 3000);
        Assert.Equal("Z:1000 v:2,1 z:19 v:3,2 Z:15362", HyperLogLog.Decode(h.Bytes));
        Assert.Equal(0, h.SparseSet(1021, 2, 3000)); // a VAL >= count: nothing to do
        h.SparseSet(1022, 3, 3000);
        h.SparseSet(1023, 3, 3000);
        h.SparseSet(1024, 3, 3000);
        Assert.Equal("Z:1000 v:2,1 z:19 v:3,4 v:3,1 Z:15359", HyperLogLog.Decode(h.Bytes));
        h.SparseSet(0, 1, 3000);
        h.SparseSet(16383, 5, 3000);
        Assert.Equal("v:1,1 Z:999 v:2,1 z:19 v:3,4 v:3,1 Z:15358 v:5,1", HyperLogLog.Decode(h.Bytes));
    }

    [Fact]
    public void Dense_registers_keep_their_values_and_neighbours()
    {
        var regs = new byte[HyperLogLog.DenseSize - HyperLogLog.HeaderSize];
        var rng = new Random(7);
        var expected = new int[HyperLogLog.Registers];
        for (var i = 0; i < expected.Length; i++) HyperLogLog.SetRegister(regs, i, expected[i] = rng.Next(64));
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], HyperLogLog.GetRegister(regs, i));
        // the packing: register 0 in the low 6 bits of byte 0, register 1 in its top 2 and the low 4 of byte 1
        Array.Clear(regs);
        HyperLogLog.SetRegister(regs, 1, 0b111111);
        Assert.Equal(0b11000000, regs[0]);
        Assert.Equal(0b00001111, regs[1]);
        HyperLogLog.SetRegister(regs, HyperLogLog.Registers - 1, 63);
        Assert.Equal(0b11111100, regs[^1]);
    }

    [Fact]
    public void Sparse_and_dense_agree_and_round_trip()
    {
        var sparse = Empty();
        var dense = new byte[HyperLogLog.DenseSize];
        Assert.True(HyperLogLog.SparseToDense(sparse.Bytes, dense));
        for (var i = 0; i < 1500; i++)
        {
            var e = B($"x{i}");
            sparse.Add(e, 100_000);
            HyperLogLog.DenseAdd(dense, e);
        }
        Assert.Equal(HyperLogLog.Sparse, sparse.Encoding);
        Assert.Equal(HyperLogLog.Count(dense, out _), HyperLogLog.Count(sparse.Bytes, out _));
        var converted = new byte[HyperLogLog.DenseSize];
        Assert.True(HyperLogLog.SparseToDense(sparse.Bytes, converted));
        Assert.Equal(dense.AsSpan(HyperLogLog.HeaderSize).ToArray(), converted.AsSpan(HyperLogLog.HeaderSize).ToArray());
        var maxA = new byte[HyperLogLog.Registers];
        var maxB = new byte[HyperLogLog.Registers];
        Assert.True(HyperLogLog.Merge(maxA, sparse.Bytes));
        Assert.True(HyperLogLog.Merge(maxB, dense));
        Assert.Equal(maxA, maxB);
        Assert.Equal(HyperLogLog.Count(dense, out _), HyperLogLog.CountRaw(maxA));
    }

    [Theory]
    [InlineData("", false)] // no opcodes: 0 registers
    [InlineData("7ffe", false)] // XZERO:16383
    [InlineData("7fff00", false)] // 16385 registers
    [InlineData("7ffc83", false)] // a VAL running past the end
    [InlineData("7ffb83", true)] // XZERO:16380 VAL:1,4
    [InlineData("7fff80", false)] // XZERO:16384 then a VAL: an overflow even though the XZERO ended exactly
    [InlineData("007f", false)] // an XZERO cut short: its second byte reads as the terminator's zero
    public void Corrupted_sparse_opcodes_are_detected(string hexBody, bool valid)
    {
        var bytes = Convert.FromHexString("48594C4C01000000" + "0000000000000000" + hexBody);
        Assert.True(HyperLogLog.IsValid(bytes)); // only decoding finds them
        HyperLogLog.Count(bytes, out var invalid);
        Assert.Equal(!valid, invalid);
        Assert.Equal(valid, HyperLogLog.Merge(new byte[HyperLogLog.Registers], bytes));
        Assert.Equal(valid, HyperLogLog.SparseToDense(bytes, new byte[HyperLogLog.DenseSize]));
        var h = new HllBuffer();
        h.Load(bytes, bytes.Length);
        Assert.Equal(valid, h.ToDense());
    }

    [Fact]
    public void Header_checks_are_isHLLObjectOrReply()
    {
        var sparse = Empty().Bytes.ToArray();
        Assert.True(HyperLogLog.IsValid(sparse));
        Assert.False(HyperLogLog.IsValid(sparse.AsSpan(0, 15)));
        var badMagic = (byte[])sparse.Clone();
        badMagic[3] = (byte)'X';
        Assert.False(HyperLogLog.IsValid(badMagic));
        var badEncoding = (byte[])sparse.Clone();
        badEncoding[4] = 2;
        Assert.False(HyperLogLog.IsValid(badEncoding));
        var dense = new byte[HyperLogLog.DenseSize];
        Assert.True(HyperLogLog.SparseToDense(sparse, dense));
        Assert.True(HyperLogLog.IsValid(dense));
        Assert.False(HyperLogLog.IsValid(dense.AsSpan(0, HyperLogLog.DenseSize - 1)));
    }

    [Fact]
    public void Every_register_at_63_overflows_as_llroundl_does()
    {
        var dense = new byte[HyperLogLog.DenseSize];
        "HYLL"u8.CopyTo(dense);
        dense.AsSpan(HyperLogLog.HeaderSize).Fill(0xff);
        Assert.Equal(0x8000000000000000UL, HyperLogLog.Count(dense, out _));
    }

    [Fact]
    public void Self_test_passes()
    {
        Assert.Null(HyperLogLogSelfTest.Run(3000));
    }
}
