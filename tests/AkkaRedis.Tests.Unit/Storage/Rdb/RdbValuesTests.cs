using System.Buffers.Binary;
using System.Text;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Actors.Storage.Rdb;
using static AkkaRedis.Tests.Unit.Storage.Rdb.RdbPrimitivesTests;

namespace AkkaRedis.Tests.Unit.Storage.Rdb;

/// <summary>
/// Every non-stream type and encoding through RdbValues: redis-server's DUMP payloads (RedisDumps) load with the
/// same content (DEBUG DIGEST-VALUE) and encoding, and dump again byte for byte where Redis's encoding is
/// deterministic; round trips of our own values; corrupt payloads only ever throw RdbFormatException.
/// </summary>
public sealed class RdbValuesTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    public static TheoryData<string> DumpNames()
    {
        var data = new TheoryData<string>();
        foreach (var d in RedisDumps.All) data.Add(d.Name);
        return data;
    }

    private static (string Name, bool Deterministic, string Encoding, string Digest, string Hex) Dump(string name) =>
        RedisDumps.All.Single(d => d.Name == name);

    /// <summary>The body of a payload (type byte + value), its footer checked as verifyDumpPayload does.</summary>
    private static byte[] Body(byte[] payload)
    {
        var footer = payload.AsSpan(payload.Length - 10);
        Assert.Equal(RdbFormat.Version, BinaryPrimitives.ReadUInt16LittleEndian(footer));
        Assert.Equal(BinaryPrimitives.ReadUInt64LittleEndian(footer[2..]), Crc64.Compute(0, payload.AsSpan(0, payload.Length - 8)));
        return payload[..^10];
    }

    private static KeyEntry Load(Database db, string key, byte[] body)
    {
        var r = new RdbReader(body.AsSpan(1));
        var value = RdbValues.ReadValue(ref r, body[0]);
        Assert.Equal(0, r.Remaining);
        return value.StoreIn(db, B(key), 1000, replace: true);
    }

    private static string Digest(KeyEntry entry)
    {
        Span<byte> digest = stackalloc byte[20];
        DebugDigest.ValueDigest(entry, digest);
        return Convert.ToHexString(digest).ToLowerInvariant();
    }

    [Theory]
    [MemberData(nameof(DumpNames))]
    public void Redis_payloads_load_with_equal_content_and_encoding_and_dump_back(string name)
    {
        var dump = Dump(name);
        var body = Body(Hex(dump.Hex));
        var db = new Database(0);
        var entry = Load(db, name, body);
        Assert.Equal(dump.Digest, Digest(entry));
        Assert.Equal(dump.Encoding, RedisObject.EncodingName(entry.Encoding));

        var w = new RdbWriter();
        RdbValues.WriteValue(w, entry, compress: true);
        if (dump.Deterministic) Assert.Equal(dump.Hex[..(body.Length * 2)], Convert.ToHexString(w.Written).ToLowerInvariant());
        // Whatever the order, our bytes load back to the same content.
        var again = Load(new Database(0), name, w.Written.ToArray());
        Assert.Equal(dump.Digest, Digest(again));
    }

    [Fact]
    public void Thresholds_pick_the_encoding_after_load_as_rdbLoadObject()
    {
        var small = new RdbLoadLimits(1, 64, 2, 1, 64);
        foreach (var (name, expected) in new[] { ("h_small", "hashtable"), ("z_small", "skiplist"), ("set16", "hashtable"), ("l_small", "quicklist") })
        {
            var body = Body(Hex(Dump(name).Hex));
            var r = new RdbReader(body.AsSpan(1));
            var value = RdbValues.ReadValue(ref r, body[0], small);
            Assert.Equal(expected, RedisObject.EncodingName(value.Encoding));
        }
        // A listpack hash keeps its encoding whatever the value lengths (7.0 checks only the count for listpacks)...
        var tinyValues = new RdbLoadLimits(512, 1, 512, 128, 1);
        var hb = Body(Hex(Dump("h_small").Hex));
        var hr = new RdbReader(hb.AsSpan(1));
        Assert.Equal(ObjectEncoding.ListPack, RdbValues.ReadValue(ref hr, hb[0], tinyValues).Encoding);
        // ...while a table hash small enough becomes a listpack, and one with a long value stays a table.
        var db = new Database(0);
        var table = new MemberTable<byte[]>();
        table.Add(B("f"), B("short"));
        db.SetValue(B("h"), RedisType.Hash, ObjectEncoding.HashTable, table, 0);
        var w = new RdbWriter();
        RdbValues.WriteValue(w, db.Find(B("h"), 0), true);
        Assert.Equal(RdbFormat.TypeHash, w.Written[0]);
        var tr = new RdbReader(w.Written[1..]);
        Assert.Equal(ObjectEncoding.ListPack, RdbValues.ReadValue(ref tr, RdbFormat.TypeHash).Encoding);
        var tr2 = new RdbReader(w.Written[1..]);
        Assert.Equal(ObjectEncoding.HashTable, RdbValues.ReadValue(ref tr2, RdbFormat.TypeHash, new RdbLoadLimits(512, 3, 512, 128, 64)).Encoding);
    }

    [Fact]
    public void Lists_split_into_nodes_as_the_quicklist_does()
    {
        var list = new RedisList();
        for (var i = 0; i < 100; i++) list.PushTail(B("e" + i));
        var nodes = new List<(int, int, bool)>();
        RdbValues.ForEachNode(list, 5, (s, c, p) => nodes.Add((s, c, p)));
        Assert.Equal(20, nodes.Count);
        Assert.All(nodes, n => Assert.Equal(5, n.Item2));
        nodes.Clear();
        RdbValues.ForEachNode(list, -2, (s, c, p) => nodes.Add((s, c, p)));
        Assert.Single(nodes);
    }

    [Fact]
    public void Older_encodings_load_ziplist_zipmap_v1_zset_and_plain_list()
    {
        var zl = RedisListpackTests.SampleZiplist(out var entries);
        // RDB_TYPE_LIST_ZIPLIST and RDB_TYPE_LIST_QUICKLIST (v1: nodes are ziplists, no container).
        var w = new RdbWriter();
        w.WriteString(zl, false);
        var r = new RdbReader(w.Written);
        var list = (RedisList)RdbValues.ReadValue(ref r, RdbFormat.TypeListZiplist).Object!;
        Assert.Equal(entries, Enumerable.Range(0, list.Count).Select(i => Encoding.ASCII.GetString(list[i])));
        w.Clear();
        w.WriteLength(2);
        w.WriteString(zl, true);
        w.WriteString(zl, false);
        r = new RdbReader(w.Written);
        Assert.Equal(entries.Length * 2, ((RedisList)RdbValues.ReadValue(ref r, RdbFormat.TypeListQuicklist).Object!).Count);
        // RDB_TYPE_ZSET: text doubles.
        w.Clear();
        w.WriteLength(2);
        w.WriteString(B("b"), false);
        w.WriteTextDouble(2.5);
        w.WriteString(B("a"), false);
        w.WriteTextDouble(double.NegativeInfinity);
        r = new RdbReader(w.Written);
        var z = RdbValues.ReadValue(ref r, RdbFormat.TypeZSet);
        var db = new Database(0);
        var e = z.StoreIn(db, B("z"), 0, true);
        Assert.Equal(ObjectEncoding.ListPack, e.Encoding);
        Assert.True(ZSet.TryGetScore(e.Value, B("a"), out var sa) && double.IsNegativeInfinity(sa));
        // RDB_TYPE_HASH_ZIPMAP: zmlen, "f"/"v" with one free byte, a 300-byte value (254 + u32 length), end.
        var zm = new List<byte> { 2, 1, (byte)'f', 1, 1, (byte)'v', 0, 2, (byte)'g', (byte)'h', 254 };
        zm.AddRange(BitConverter.GetBytes(300));
        zm.Add(0);
        zm.AddRange(Enumerable.Repeat((byte)'x', 300));
        zm.Add(0xFF);
        w.Clear();
        w.WriteString(zm.ToArray(), false);
        r = new RdbReader(w.Written);
        var h = RdbValues.ReadValue(ref r, RdbFormat.TypeHashZipmap);
        Assert.Equal(ObjectEncoding.HashTable, h.Encoding); // a value over hash-max-listpack-value
        var he = h.StoreIn(db, B("h"), 0, true);
        Assert.True(RedisHash.TryGet(he.Value, B("f"), out var fv) && fv.SequenceEqual(B("v")));
        Assert.True(RedisHash.TryGet(he.Value, B("gh"), out var gv) && gv.Length == 300);
    }

    [Fact]
    public void Sets_of_integers_load_as_intsets_and_7_2_set_listpacks_load()
    {
        var w = new RdbWriter();
        w.WriteLength(3);
        w.WriteString(B("3"), false);
        w.WriteString(B("-1"), false);
        w.WriteString(B("100000"), false);
        var r = new RdbReader(w.Written);
        var v = RdbValues.ReadValue(ref r, RdbFormat.TypeSet);
        Assert.Equal(ObjectEncoding.IntSet, v.Encoding);
        Assert.Equal(4, IntSet.Width((byte[])v.Object!));
        var lp = new RedisListpackWriter();
        lp.Append(B("a"));
        lp.Append(B("7"));
        w.Clear();
        lp.WriteTo(w, false);
        r = new RdbReader(w.Written);
        var s = RdbValues.ReadValue(ref r, RdbFormat.TypeSetListpack);
        Assert.Equal(ObjectEncoding.HashTable, s.Encoding);
    }

    [Fact]
    public void Empty_duplicate_and_nan_values_are_refused()
    {
        var w = new RdbWriter();
        w.WriteLength(0);
        Assert.Throws<RdbEmptyKeyException>(() => { var r = new RdbReader(w.Written); RdbValues.ReadValue(ref r, RdbFormat.TypeSet); });
        w.Clear();
        w.WriteLength(2);
        w.WriteString(B("a"), false);
        w.WriteString(B("a"), false);
        Assert.Throws<RdbFormatException>(() => { var r = new RdbReader(w.Written); RdbValues.ReadValue(ref r, RdbFormat.TypeSet); });
        w.Clear();
        w.WriteLength(1);
        w.WriteString(B("a"), false);
        w.WriteBinaryDouble(double.NaN);
        Assert.Throws<RdbFormatException>(() => { var r = new RdbReader(w.Written); RdbValues.ReadValue(ref r, RdbFormat.TypeZSet2); });
        w.Clear();
        w.WriteLength(2);
        foreach (var s in new[] { "f", "1", "f", "2" }) w.WriteString(B(s), false);
        Assert.Throws<RdbFormatException>(() => { var r = new RdbReader(w.Written); RdbValues.ReadValue(ref r, RdbFormat.TypeHash); });
        w.Clear();
        w.WriteLength(2);
        w.WriteString(B("m"), false);
        w.WriteBinaryDouble(1);
        w.WriteString(B("m"), false);
        w.WriteBinaryDouble(2);
        Assert.Throws<RdbFormatException>(() => { var r = new RdbReader(w.Written); RdbValues.ReadValue(ref r, RdbFormat.TypeZSet2); });
        // A huge declared length with nothing behind it fails fast instead of allocating.
        w.Clear();
        w.WriteLength(uint.MaxValue - 1);
        Assert.Throws<RdbFormatException>(() => { var r = new RdbReader(w.Written); RdbValues.ReadValue(ref r, RdbFormat.TypeList); });
    }

    [Fact]
    public void Corrupt_payloads_throw_only_RdbFormatException()
    {
        var rng = new Random(12);
        foreach (var dump in RedisDumps.All)
        {
            var body = Body(Hex(dump.Hex));
            if (body.Length > 4000) continue;
            for (var i = 0; i < 400; i++)
            {
                var bad = (byte[])body.Clone();
                var flips = rng.Next(1, 4);
                for (var f = 0; f < flips; f++) bad[1 + rng.Next(bad.Length - 1)] = (byte)rng.Next(256);
                if (rng.Next(5) == 0) bad = bad[..(1 + rng.Next(bad.Length - 1))];
                try
                {
                    var r = new RdbReader(bad.AsSpan(1));
                    var v = RdbValues.ReadValue(ref r, bad[0]);
                    v.StoreIn(new Database(0), B("k"), 0, true);
                }
                catch (RdbFormatException) { }
            }
        }
    }

    [Fact]
    public void Key_records_carry_expiry_idle_and_freq_as_rdbSaveKeyValuePair()
    {
        var db = new Database(0);
        var e = db.SetString(B("key"), B("value"), 0);
        db.SetExpire(e, 1_700_000_000_123);
        var w = new RdbWriter();
        RdbValues.WriteKeyRecord(w, db.Find(B("key"), 0), new RdbSaveOptions(true, 120_000, SaveLru: true, SaveLfu: false));
        Assert.Equal("fc7b68e5cf8b010000f8407800036b65790576616c7565", Convert.ToHexString(w.Written).ToLowerInvariant());
        w.Clear();
        RdbValues.WriteKeyRecord(w, db.Find(B("key"), 0), new RdbSaveOptions(true, 120_000, SaveLru: false, SaveLfu: true));
        Assert.Equal("fc7b68e5cf8b010000f90300036b65790576616c7565", Convert.ToHexString(w.Written).ToLowerInvariant());
    }

    [Fact]
    public void Random_bytes_of_every_type_throw_only_RdbFormatException()
    {
        var rng = new Random(77);
        for (var i = 0; i < 20000; i++)
        {
            var type = (byte)rng.Next(0, 23);
            var body = new byte[rng.Next(0, 64)];
            rng.NextBytes(body);
            // Plausible small lengths up front so the decoders get past the first check often.
            if (body.Length > 0 && rng.Next(2) == 0) body[0] = (byte)rng.Next(1, 8);
            try
            {
                var r = new RdbReader(body);
                RdbValues.ReadValue(ref r, type).StoreIn(new Database(0), B("k"), 0, true);
            }
            catch (RdbFormatException) { }
            catch (NotImplementedException) when (type is RdbFormat.TypeStreamListpacks or RdbFormat.TypeStreamListpacks2 or RdbFormat.TypeStreamListpacks3) { }
        }
    }

    [Fact]
    public void Dump_payloads_verify_as_verifyDumpPayload()
    {
        var db = new Database(0);
        var entry = db.SetString(B("k"), B("hello"), 0);
        var w = new RdbWriter();
        DumpPayload.Create(w, entry, true, -2);
        Assert.Equal("000568656c6c6f0a006372df766534200a", Convert.ToHexString(w.Written).ToLowerInvariant());
        var payload = w.Written.ToArray();
        Assert.True(DumpPayload.Verify(payload, skipChecksum: false));
        var badCrc = (byte[])payload.Clone();
        badCrc[^1] ^= 1;
        Assert.False(DumpPayload.Verify(badCrc, skipChecksum: false));
        Assert.True(DumpPayload.Verify(badCrc, skipChecksum: true));
        var newer = (byte[])payload.Clone();
        newer[^10] = RdbFormat.Version + 1;
        Assert.False(DumpPayload.Verify(newer, skipChecksum: true));
        Assert.False(DumpPayload.Verify(payload.AsSpan(0, 9), skipChecksum: true));
        Assert.Equal("hello", Encoding.ASCII.GetString((byte[])DumpPayload.Read(payload, RdbLoadLimits.Default).Object!));
        Assert.Throws<RdbFormatException>(() => DumpPayload.Read(payload.AsSpan(7), RdbLoadLimits.Default));
    }
}
