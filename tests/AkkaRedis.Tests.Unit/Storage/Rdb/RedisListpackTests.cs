using System.Buffers.Binary;
using System.Text;
using AkkaRedis.Actors.Storage.Rdb;
using static AkkaRedis.Tests.Unit.Storage.Rdb.RdbPrimitivesTests;

namespace AkkaRedis.Tests.Unit.Storage.Rdb;

/// <summary>Redis's listpack, ziplist and intset bytes, against DUMP payloads recorded from redis-server 7.0.15.</summary>
public sealed class RedisListpackTests
{
    // RPUSH l1 <these> on redis-server: every integer width at its edges, non-canonical numbers as strings, 6/12-bit
    // string lengths.
    private static readonly string[] ListEntries =
    [
        "a", "1", "-1", "127", "128", "-4096", "4095", "4096", "-32768", "32767", "32768", "-8388608", "8388607", "8388608",
        "-2147483648", "2147483647", "2147483648", "-9223372036854775808", "9223372036854775807", "9223372036854775808",
        new string('x', 63), new string('y', 64), "01", "-0", "+1", " 1",
    ];

    private const string ListDumpPlain =
        "120102410e0e0100001a008161020101dfff027f01c08002d00002cfff02f1001003f1008003f1ff7f03f200800004f200008004f2ffff7f04f30000800005f30000008005f3ffffff7f05f4000000800000000009f4000000000000008009f4ffffffffffffff7f09933932323333373230333638353437373538303814bf78787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787840e040797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979794282303103822d3003822b310382203103ff0a002a41bdbe25d168c2";

    private const string ListDumpCompressed =
        "120102c34094410e1f0e0100001a008161020101dfff027f01c08002d00002cfff02f1001003f100801403f1ff7f03f200800004f200008004f2ffff7f04f32009010005200504008005f3ff20110105f4400b200301000940094000028009f420194000187f09933932323333373230333638353437373538303814bf78e035000340e04079e036000a4282303103822d3003822b200703203103ff0a0062c3fbe9ace6e8e7";

    private static RedisListpackWriter Build(IEnumerable<string> entries)
    {
        var w = new RedisListpackWriter();
        foreach (var e in entries) w.Append(Encoding.ASCII.GetBytes(e));
        return w;
    }

    [Fact]
    public void Listpack_bytes_match_redis_for_every_encoding()
    {
        var lp = Build(ListEntries).ToArray();
        var expected = Hex(ListDumpPlain).AsSpan(5, 270).ToArray(); // type, node count, container, 2-byte length
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(lp));
    }

    [Theory]
    [InlineData(false, ListDumpPlain)]
    [InlineData(true, ListDumpCompressed)]
    public void Quicklist_node_payload_matches_redis(bool compress, string hex)
    {
        var payload = Payload(w =>
        {
            w.WriteByte(RdbFormat.TypeListQuicklist2);
            w.WriteLength(1);
            w.WriteLength(RdbFormat.QuicklistNodePacked);
            Build(ListEntries).WriteTo(w, compress);
        });
        Assert.Equal(hex, Convert.ToHexString(payload).ToLowerInvariant());
    }

    [Fact]
    public void Reader_walks_every_encoding()
    {
        var lp = Build(ListEntries).ToArray();
        var r = new RedisListpackReader(lp);
        Assert.Equal(ListEntries.Length, r.HeaderCount);
        Span<byte> scratch = stackalloc byte[24];
        var i = 0;
        while (r.MoveNext())
        {
            Assert.Equal(ListEntries[i], Encoding.ASCII.GetString(r.AsBytes(scratch)));
            Assert.Equal(long.TryParse(ListEntries[i], out _) && ListEntries[i] is not ("-0" or "01" or "+1" or " 1"), r.IsInteger);
            i++;
        }
        Assert.Equal(ListEntries.Length, i);
        Assert.True(RedisListpack.Validate(lp, deep: true, out var count));
        Assert.Equal(ListEntries.Length, count);
    }

    [Fact]
    public void Hash_and_zset_listpacks_match_redis()
    {
        // HSET h1 f1 v1 f2 12 n -5
        Assert.Equal("101b1b00000006008266310382763103826632030c01816e02dffb02ff0a008b2c60e7050ae266",
            Convert.ToHexString(Payload(w => { w.WriteByte(RdbFormat.TypeHashListpack); Build(["f1", "v1", "f2", "12", "n", "-5"]).WriteTo(w, true); })).ToLowerInvariant());
        // ZADD z1 1 a 2.5 b -3 c 1e20 d: members in score order, scores as d2string text (integers as integers).
        Assert.Equal("1124240000000800816302dffd02816102010181620283322e35048164028531652b323006ff0a00fa2fa3233c43ef1d",
            Convert.ToHexString(Payload(w => { w.WriteByte(RdbFormat.TypeZSetListpack); Build(["c", "-3", "a", "1", "b", "2.5", "d", "1e+20"]).WriteTo(w, true); })).ToLowerInvariant());
    }

    [Fact]
    public void Long_strings_use_12_and_32_bit_lengths_and_multi_byte_backlens()
    {
        foreach (var len in new[] { 63, 64, 126, 127, 4095, 4096, 20000 })
        {
            var w = new RedisListpackWriter();
            var value = new string('q', len);
            w.Append(Encoding.ASCII.GetBytes(value));
            w.AppendInteger(-1);
            var lp = w.ToArray();
            var r = new RedisListpackReader(lp);
            Assert.True(r.MoveNext());
            Assert.Equal(value, Encoding.ASCII.GetString(r.String));
            Assert.True(r.MoveNext());
            Assert.Equal(-1, r.Integer);
            Assert.False(r.MoveNext());
        }
        // A 4096-byte element in a list as redis-server saved it: 32-bit string length (F0) and a 2-byte backlen.
        var big = new RedisListpackWriter();
        big.Append(Encoding.ASCII.GetBytes(new string('z', 4096)));
        var bytes = big.ToArray();
        Assert.Equal("f000100000", Convert.ToHexString(bytes.AsSpan(6, 5)).ToLowerInvariant());
        Assert.Equal("2085", Convert.ToHexString(bytes.AsSpan(6 + 5 + 4096, 2)).ToLowerInvariant());
    }

    [Fact]
    public void Corrupt_listpacks_throw_never_read_out_of_range()
    {
        var lp = Build(ListEntries).ToArray();
        var rng = new Random(9);
        for (var i = 0; i < 5000; i++)
        {
            var bad = (byte[])lp.Clone();
            var flips = rng.Next(1, 4);
            for (var f = 0; f < flips; f++) bad[rng.Next(bad.Length)] = (byte)rng.Next(256);
            if (rng.Next(4) == 0) bad = bad[..rng.Next(bad.Length)];
            try
            {
                var r = new RedisListpackReader(bad);
                while (r.MoveNext()) { }
            }
            catch (RdbFormatException) { }
        }
        var truncated = lp[..^1];
        Assert.Throws<RdbFormatException>(() => new RedisListpackReader(truncated));
        Assert.False(RedisListpack.Validate(truncated, false, out _));
    }

    [Theory]
    [InlineData(new long[] { -5, 1, 300 }, "0b0e0200000003000000fbff01002c010a000f5f7a8eb59409d2")]
    [InlineData(new long[] { 1, 70000 }, "0b10040000000200000001000000701101000a002735436efd6656c4")]
    [InlineData(new long[] { 1, 7000000000 }, "0b180800000002000000010000000000000000863ba1010000000a00ed9415944aa3712b")]
    public void Intsets_match_redis(long[] members, string hex)
    {
        var blob = RedisIntsetFormat.Build(members);
        Assert.Equal(hex, Convert.ToHexString(Payload(w => { w.WriteByte(RdbFormat.TypeSetIntset); w.WriteString(blob, true); })).ToLowerInvariant());
        Assert.Equal(members, RedisIntsetFormat.Read(blob));
    }

    [Fact]
    public void Corrupt_intsets_throw()
    {
        var blob = RedisIntsetFormat.Build([1, 2, 3]);
        var unsorted = (byte[])blob.Clone();
        BinaryPrimitives.WriteInt16LittleEndian(unsorted.AsSpan(8), 5);
        Assert.Throws<RdbFormatException>(() => RedisIntsetFormat.Read(unsorted));
        var badWidth = (byte[])blob.Clone();
        badWidth[0] = 3;
        Assert.Throws<RdbFormatException>(() => RedisIntsetFormat.Read(badWidth));
        Assert.Throws<RdbFormatException>(() => RedisIntsetFormat.Read(blob[..^1]));
    }

    /// <summary>A ziplist as Redis 6 wrote it: "a", 12 (immediate), -200 (int16), 100000 (int24), a 70-byte
    /// string (14-bit length), 5000000000 (int64), -3 (int8), 1000000 (int32 is not used: int24 holds it).</summary>
    internal static byte[] SampleZiplist(out string[] entries)
    {
        entries = ["a", "12", "-200", "100000", new string('s', 70), "5000000000", "-3"];
        var body = new List<byte>();
        var prev = 0;
        void Entry(params byte[] encodingAndData)
        {
            var e = new List<byte> { (byte)prev };
            e.AddRange(encodingAndData);
            prev = e.Count;
            body.AddRange(e);
        }
        Entry(0x01, (byte)'a');
        Entry(0xF1 + 12);
        Entry(0xC0, 0x38, 0xFF);                // -200 int16 LE
        Entry(0xF0, 0xA0, 0x86, 0x01);          // 100000 int24 LE
        var s = new List<byte> { 0x40, 70 };
        s.AddRange(Enumerable.Repeat((byte)'s', 70));
        Entry(s.ToArray());
        var i64 = new byte[9];
        i64[0] = 0xE0;
        BinaryPrimitives.WriteInt64LittleEndian(i64.AsSpan(1), 5000000000);
        Entry(i64);
        Entry(0xFE, unchecked((byte)-3));
        var zl = new byte[10 + body.Count + 1];
        BinaryPrimitives.WriteUInt32LittleEndian(zl, (uint)zl.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(zl.AsSpan(4), (uint)(10 + body.Count - prev));
        BinaryPrimitives.WriteUInt16LittleEndian(zl.AsSpan(8), (ushort)entries.Length);
        body.CopyTo(zl, 10);
        zl[^1] = 0xFF;
        return zl;
    }

    [Fact]
    public void Ziplist_reader_decodes_every_encoding()
    {
        var zl = SampleZiplist(out var entries);
        var r = new RedisZiplistReader(zl);
        Assert.Equal(entries.Length, r.HeaderCount);
        Span<byte> scratch = stackalloc byte[24];
        var i = 0;
        while (r.MoveNext()) Assert.Equal(entries[i++], Encoding.ASCII.GetString(r.AsBytes(scratch)));
        Assert.Equal(entries.Length, i);

        var rng = new Random(4);
        for (var k = 0; k < 3000; k++)
        {
            var bad = (byte[])zl.Clone();
            bad[rng.Next(bad.Length)] = (byte)rng.Next(256);
            try
            {
                var rr = new RedisZiplistReader(bad);
                while (rr.MoveNext()) { }
            }
            catch (RdbFormatException) { }
        }
    }
}
