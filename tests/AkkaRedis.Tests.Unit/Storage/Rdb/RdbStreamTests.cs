using System.Text;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Actors.Storage.Rdb;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Storage.Rdb;

/// <summary>Streams in RDB (rdbSaveObject / rdbLoadObject's stream branches): byte equality with a redis-server 7.0.15
/// DUMP body, round trips of every shape a stream takes (empty, one entry, many nodes, differing fields, deleted and
/// trimmed entries, groups with PEL and consumers, the 7.0 counters), the 6.2 and 7.2 types, and corrupt input.</summary>
public sealed class RdbStreamTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);
    private static CommandArgs Args(params string[] items) => CommandArgs.Of(items);
    private static StreamId Id(ulong ms, ulong seq) => new(ms, seq);

    private static byte[] Save(RedisStream s, bool compress = false)
    {
        var w = new RdbWriter();
        RdbStream.Write(w, s, compress);
        return w.Written.ToArray();
    }

    private static RedisStream Load(byte[] bytes, byte type = RdbFormat.TypeStreamListpacks2)
    {
        var r = new RdbReader(bytes);
        var s = RdbStream.Read(ref r, type);
        Assert.Equal(0, r.Remaining);
        return s;
    }

    /// <summary>Everything a stream holds, as text: counters, node layout, entries, groups, PELs, consumers.</summary>
    private static string Describe(RedisStream s)
    {
        var sb = new StringBuilder();
        sb.Append($"len={s.Length} last={s.LastId} first={s.FirstId} maxdel={s.MaxDeletedId} added={s.EntriesAdded} nodes={s.NodeCount}\n");
        for (var i = 0; i < s.NodeCount; i++)
        {
            var lp = s.Node(i, out var master);
            sb.Append($"node {master} {Convert.ToHexString(lp)}\n");
        }
        foreach (var e in s.GetRange(StreamId.Min, StreamId.Max))
        {
            sb.Append(e.Id).Append(':');
            foreach (var f in e) sb.Append(' ').Append(Encoding.Latin1.GetString(f.Name)).Append('=').Append(Encoding.Latin1.GetString(f.Value));
            sb.Append('\n');
        }
        var groups = s.Groups;
        for (var g = 0; g < (groups?.Count ?? 0); g++)
        {
            var group = groups![g];
            sb.Append($"group {Encoding.Latin1.GetString(group.Name)} last={group.LastId} read={group.EntriesRead}\n");
            foreach (var n in group.Pending)
                sb.Append($"  pel {n.Id} t={n.DeliveryTime} c={n.DeliveryCount} owner={Encoding.Latin1.GetString(n.Consumer!.Name)}\n");
            for (var c = 0; c < group.ConsumerCount; c++)
            {
                var consumer = group.Consumer(c);
                sb.Append($"  consumer {Encoding.Latin1.GetString(consumer.Name)} seen={consumer.SeenTime}:");
                foreach (var n in consumer.Pending) sb.Append(' ').Append(n.Id);
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>Saves, loads, compares everything, and checks that saving the loaded stream gives the same bytes.</summary>
    private static RedisStream RoundTrip(RedisStream s)
    {
        var bytes = Save(s);
        var loaded = Load(bytes);
        Assert.Equal(Describe(s), Describe(loaded));
        Assert.Equal(bytes, Save(loaded));
        return loaded;
    }

    /// <summary>The stream of the redis-server capture: XADD s 1-1 a 1 b hello, 1-2 a 2 b x, 5-0 c 3; XGROUP CREATE s
    /// g 1-1; XREADGROUP GROUP g alice COUNT 1 STREAMS s &gt; (at <paramref name="time"/>).</summary>
    private static RedisStream CapturedStream(long time)
    {
        var s = new RedisStream();
        s.Append(Id(1, 1), [B("a"), B("1"), B("b"), B("hello")]);
        s.Append(Id(1, 2), [B("a"), B("2"), B("b"), B("x")]);
        s.Append(Id(5, 0), [B("c"), B("3")]);
        s.Groups = new StreamGroups();
        var g = s.Groups.TryCreate(B("g"), Id(1, 1), StreamGroup.InvalidEntriesRead)!;
        var alice = g.TryCreateConsumer(B("alice"), time)!;
        g.Deliver(Id(1, 2), alice, time);
        g.LastId = Id(1, 2);
        return s;
    }

    // DUMP s of redis-server 7.0.15 (rdbcompression no) for CapturedStream, without its type byte (0x13), RDB version
    // and CRC64: one node, the 7.0 counters, group g with entries_read unknown (2^64-1) and alice's pending 1-2.
    private const string CapturedDump =
        "0110000000000000000100000000000000014043430000001900030100010201816102816202000102010001000101018568656c6c6f" +
        "0605010201000101010201817802050100010401dfff02010181630203010601ff0305000101000003010167010281ffffffffffffffff" +
        "0100000000000000010000000000000002a822b84da2010000010105616c696365a822b84da201000001000000000000000100000000000000" +
        "02";

    private const long CapturedTime = 0x01a24db822a8;

    [Fact]
    public void Writes_the_bytes_redis_server_dumps()
    {
        var s = CapturedStream(CapturedTime);
        Assert.Equal(CapturedDump, Convert.ToHexString(Save(s)).ToLowerInvariant());
    }

    [Fact]
    public void Reads_redis_servers_bytes()
    {
        var s = Load(Convert.FromHexString(CapturedDump));
        Assert.Equal(Describe(CapturedStream(CapturedTime)), Describe(s));
        Assert.Equal(StreamGroup.InvalidEntriesRead, s.Groups![0].EntriesRead);
    }

    [Fact]
    public void A_stream_nothing_was_added_to_round_trips_with_no_nodes()
    {
        var s = new RedisStream();
        Assert.Equal("00" + "00" + "0000" + "0000" + "0000" + "00" + "00", Convert.ToHexString(Save(s)));
        var loaded = RoundTrip(s);
        Assert.Equal(0, loaded.NodeCount);
        Assert.Null(loaded.Groups);
    }

    [Fact]
    public void A_stream_emptied_by_xdel_keeps_its_ids_and_counters()
    {
        var s = new RedisStream();
        s.Append(Id(7, 3), [B("f"), B("v")]);
        Assert.True(s.DeleteAndRecord(Id(7, 3)));
        var loaded = RoundTrip(s);
        Assert.Equal(0, loaded.Length);
        Assert.Equal(Id(7, 3), loaded.LastId);
        Assert.Equal(Id(7, 3), loaded.MaxDeletedId);
        Assert.Equal(1UL, loaded.EntriesAdded);
        // It takes new entries after its last ID.
        loaded.Append(Id(8, 0), [B("f"), B("w")]);
        Assert.Equal(1, loaded.Length);
    }

    [Fact]
    public void One_entry_round_trips()
    {
        var s = new RedisStream();
        s.Append(Id(1700000000000, 0), [B("temperature"), B("-12"), B("name"), Encoding.UTF8.GetBytes("zürich")]);
        var loaded = RoundTrip(s);
        Assert.True(loaded.TryGet(Id(1700000000000, 0), out _));
    }

    [Fact]
    public void Thousands_of_entries_with_differing_fields_across_many_nodes_round_trip_and_keep_growing_the_same()
    {
        var s = new RedisStream();
        var t = new RedisStream();
        var random = new Random(12);
        for (var i = 1; i <= 5000; i++)
        {
            var pairs = i % 7 == 0
                ? Args("other", random.Next().ToString(), "x", new string('v', random.Next(0, 300)))
                : Args("f", i.ToString(), "g", i % 3 == 0 ? "-9223372036854775808" : "text" + i);
            s.Append(Id((ulong)(1000 + i / 3), (ulong)(i % 3)), pairs, 0, 1024, 50);
            if (i <= 2500) t.Append(Id((ulong)(1000 + i / 3), (ulong)(i % 3)), pairs, 0, 1024, 50);
        }
        Assert.True(s.NodeCount > 100);
        RoundTrip(s);

        // Appending to a loaded stream cuts nodes where appending to the original does.
        var half = Load(Save(t));
        for (var i = 2501; i <= 5000; i++)
        {
            var pairs = i % 7 == 0
                ? Args("other", "1", "x", "y")
                : Args("f", i.ToString(), "g", "text" + i);
            half.Append(Id((ulong)(1000 + i / 3), (ulong)(i % 3)), pairs, 0, 1024, 50);
            t.Append(Id((ulong)(1000 + i / 3), (ulong)(i % 3)), pairs, 0, 1024, 50);
        }
        Assert.Equal(Describe(t), Describe(half));
    }

    [Fact]
    public void Deleted_and_trimmed_entries_round_trip_as_flags_and_counters()
    {
        var s = new RedisStream();
        for (ulong i = 1; i <= 300; i++) s.Append(Id(i, 0), Args("f", i.ToString()), 0, 4096, 10);
        for (ulong i = 5; i <= 300; i += 7) Assert.True(s.DeleteAndRecord(Id(i, 0)));
        Assert.Equal(57, s.Trim(byMinId: false, maxLen: 200, StreamId.Min, approx: false, limit: 0)); // 300 - 43 deleted - 200
        s.Trim(byMinId: true, 0, Id(120, 0), approx: true, limit: 0);
        Assert.True(s.DeleteAndRecord(s.FirstId));
        var loaded = RoundTrip(s);
        Assert.Equal(s.FirstId, loaded.FirstId);
        Assert.NotEqual(StreamId.Min, loaded.MaxDeletedId);
        Assert.Equal(s.Length, loaded.Trim(byMinId: false, 0, StreamId.Min, approx: false, limit: 0));
        Assert.Equal(0, loaded.NodeCount);
    }

    [Fact]
    public void Groups_with_pel_consumers_and_read_counters_round_trip()
    {
        var s = new RedisStream();
        for (ulong i = 1; i <= 40; i++) s.Append(Id(i, 0), Args("f", i.ToString()), 0, 4096, 16);
        s.DeleteAndRecord(Id(3, 0));
        s.Groups = new StreamGroups();
        var g1 = s.Groups.TryCreate(B("workers"), Id(20, 0), 19)!;
        var a = g1.TryCreateConsumer(B("alice"), 1_000)!;
        var b = g1.TryCreateConsumer(B("bob"), 2_000)!;
        g1.TryCreateConsumer(B("idle"), 3_000);
        for (ulong i = 1; i <= 20; i++) g1.Deliver(Id(i, 0), i % 2 == 0 ? a : b, 5_000 + (long)i);
        g1.Pending.TryGet(Id(4, 0), out var nack);
        nack.DeliveryCount = 300;
        g1.Acknowledge(Id(6, 0));
        // A PEL may name entries the stream no longer has (XDEL after delivery).
        Assert.Contains(g1.Pending.Range(StreamId.Min, StreamId.Max), n => n.Id == Id(3, 0));
        s.Groups.TryCreate(B("empty"), StreamId.Max, StreamGroup.InvalidEntriesRead);
        s.Groups.TryCreate(B(""), StreamId.Min, 0);
        var loaded = RoundTrip(s);

        var lg = loaded.Groups!.Find(B("workers"))!;
        Assert.Equal(19, lg.EntriesRead);
        Assert.Equal(StreamGroup.InvalidEntriesRead, loaded.Groups.Find(B("empty"))!.EntriesRead);
        // The consumer's PEL and the group's share the NACK, as after XREADGROUP.
        lg.Pending.TryGet(Id(4, 0), out var shared);
        lg.FindConsumer(B("alice"))!.Pending.TryGet(Id(4, 0), out var own);
        Assert.Same(shared, own);
        Assert.Equal(300, own.DeliveryCount);
    }

    [Fact]
    public void Compressed_saves_round_trip_when_strings_come_back_plain()
    {
        // The compress flag only changes how strings are written (LZF is the RdbWriter's); the layout is the same.
        var s = CapturedStream(5);
        Assert.Equal(Describe(s), Describe(Load(Save(s, compress: true))));
    }

    // ---- older and newer types ----

    /// <summary>A Redis 6.2 payload (type 15) for the nodes of <paramref name="s"/>: no first ID, tombstone or
    /// entries-added, no group read counters.</summary>
    private static byte[] SaveAs62(RedisStream s)
    {
        var w = new RdbWriter();
        w.WriteLength((ulong)s.NodeCount);
        for (var i = 0; i < s.NodeCount; i++)
        {
            var lp = s.Node(i, out var master);
            var key = new byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key, master.Ms);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(8), master.Seq);
            w.WriteString(key, false);
            w.WriteString(lp, false);
        }
        w.WriteLength((ulong)s.Length);
        w.WriteLength(s.LastId.Ms);
        w.WriteLength(s.LastId.Seq);
        w.WriteLength((ulong)(s.Groups?.Count ?? 0));
        for (var i = 0; i < (s.Groups?.Count ?? 0); i++)
        {
            var g = s.Groups![i];
            w.WriteString(g.Name, false);
            w.WriteLength(g.LastId.Ms);
            w.WriteLength(g.LastId.Seq);
            w.WriteLength(0); // no PEL
            w.WriteLength(0); // no consumers
        }
        return w.Written.ToArray();
    }

    [Fact]
    public void A_redis_6_2_stream_gets_the_7_0_counters_redis_computes_on_load()
    {
        var s = new RedisStream();
        for (ulong i = 1; i <= 10; i++) s.Append(Id(i, 0), Args("f", "v"), 0, 4096, 100);
        s.DeleteAndRecord(Id(1, 0));
        s.DeleteAndRecord(Id(2, 0));
        s.Groups = new StreamGroups();
        s.Groups.TryCreate(B("at-first"), Id(3, 0), 0);
        s.Groups.TryCreate(B("before"), Id(1, 5), 0);
        s.Groups.TryCreate(B("at-last"), Id(10, 0), 0);
        s.Groups.TryCreate(B("middle"), Id(5, 0), 0);

        var loaded = Load(SaveAs62(s), RdbFormat.TypeStreamListpacks);
        Assert.Equal(8, loaded.Length);
        Assert.Equal(8UL, loaded.EntriesAdded); // every live entry counts as added
        Assert.Equal(StreamId.Min, loaded.MaxDeletedId);
        Assert.Equal(Id(3, 0), loaded.FirstId);
        Assert.Equal(1, loaded.Groups!.Find(B("at-first"))!.EntriesRead);
        Assert.Equal(0, loaded.Groups.Find(B("before"))!.EntriesRead);
        Assert.Equal(8, loaded.Groups.Find(B("at-last"))!.EntriesRead);
        Assert.Equal(StreamGroup.InvalidEntriesRead, loaded.Groups.Find(B("middle"))!.EntriesRead);
        // Saved again, it is a 7.0 stream with those counters.
        Assert.Equal(Describe(loaded), Describe(Load(Save(loaded))));
    }

    [Fact]
    public void An_empty_redis_6_2_stream_gets_the_maximum_first_id_as_streamGetEdgeID_gives()
    {
        var s = new RedisStream();
        s.Append(Id(1, 0), Args("f", "v"), 0, 4096, 100);
        s.DeleteAndRecord(Id(1, 0));
        var loaded = Load(SaveAs62(s), RdbFormat.TypeStreamListpacks);
        Assert.Equal(StreamId.Max, loaded.FirstId);
        Assert.Equal(0UL, loaded.EntriesAdded);
    }

    [Fact]
    public void A_redis_7_2_stream_skips_the_consumers_active_time()
    {
        var bytes = Save(CapturedStream(77));
        // In type 21 each consumer's seen time is followed by its active time: insert 8 bytes after alice's seen time.
        var hex = Convert.ToHexString(bytes).ToLowerInvariant();
        var seen = "05616c696365" + "4d00000000000000"; // "alice", seen time 77
        var at = hex.IndexOf(seen, StringComparison.Ordinal) + seen.Length;
        var with72 = Convert.FromHexString(hex[..at] + "ffffffffffffffff" + hex[at..]);
        Assert.Equal(Describe(CapturedStream(77)), Describe(Load(with72, RdbFormat.TypeStreamListpacks3)));
    }

    // ---- corrupt input ----

    [Fact]
    public void Every_truncation_is_a_format_error()
    {
        var bytes = Save(CapturedStream(CapturedTime));
        for (var n = 0; n < bytes.Length; n++)
        {
            var r = new RdbReader(bytes.AsSpan(0, n));
            try
            {
                RdbStream.Read(ref r, RdbFormat.TypeStreamListpacks2);
                Assert.Fail($"a prefix of {n} bytes loaded");
            }
            catch (RdbFormatException)
            {
            }
        }
    }

    [Fact]
    public void Any_corrupt_byte_is_a_format_error_or_a_stream_that_reads_back_whole()
    {
        var s = new RedisStream();
        for (ulong i = 1; i <= 60; i++) s.Append(Id(i, i % 2), Args("f", i.ToString(), i % 5 == 0 ? "other" : "g", "value" + i), 0, 4096, 20);
        s.DeleteAndRecord(Id(30, 0));
        s.Groups = new StreamGroups();
        var g = s.Groups.TryCreate(B("g"), Id(10, 0), 10)!;
        g.Deliver(Id(5, 1), g.TryCreateConsumer(B("c"), 1)!, 2);
        var bytes = Save(s);
        var random = new Random(7);
        for (var trial = 0; trial < 4000; trial++)
        {
            var copy = (byte[])bytes.Clone();
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
            RedisStream? loaded = null;
            try
            {
                var r = new RdbReader(copy);
                loaded = RdbStream.Read(ref r, RdbFormat.TypeStreamListpacks2);
            }
            catch (RdbFormatException)
            {
                continue;
            }
            // What loads must be walkable both ways and save again.
            var forward = 0L;
            foreach (var e in loaded.GetRange(StreamId.Min, StreamId.Max)) foreach (var _ in e) forward++;
            foreach (var e in loaded.GetRange(StreamId.Min, StreamId.Max, reverse: true)) foreach (var _ in e) forward--;
            Assert.Equal(0, forward);
            Save(loaded);
        }
    }

    private static RdbFormatException Refused(byte[] bytes, byte type = RdbFormat.TypeStreamListpacks2)
    {
        var r = new RdbReader(bytes);
        try
        {
            RdbStream.Read(ref r, type);
        }
        catch (RdbFormatException e)
        {
            return e;
        }
        throw new Xunit.Sdk.XunitException("loaded");
    }

    /// <summary>A one-node stream payload whose node is <paramref name="lp"/> under master 1-1, length
    /// <paramref name="length"/>, no groups.</summary>
    private static byte[] WithNode(byte[] lp, long length = 1)
    {
        var w = new RdbWriter();
        w.WriteLength(1);
        w.WriteString(Convert.FromHexString("00000000000000010000000000000001"), false);
        w.WriteString(lp, false);
        w.WriteLength((ulong)length);
        foreach (var v in new ulong[] { 9, 9, 1, 1, 0, 0, 1, 0 }) w.WriteLength(v);
        return w.Written.ToArray();
    }

    [Fact]
    public void An_empty_listpack_is_refused()
    {
        Assert.Contains("Empty listpack", Refused(WithNode([7, 0, 0, 0, 0, 0, 0xFF])).Message);
    }

    [Fact]
    public void Nodes_out_of_order_or_repeated_are_refused()
    {
        var s = new RedisStream();
        for (ulong i = 1; i <= 4; i++) s.Append(Id(i, 0), Args("f", "v"), 0, 4096, 2);
        var w = new RdbWriter();
        w.WriteLength(2);
        foreach (var index in new[] { 1, 0 })
        {
            var lp = s.Node(index, out var master);
            w.WriteString(Convert.FromHexString($"{master.Ms:x16}{master.Seq:x16}"), false);
            w.WriteString(lp, false);
        }
        w.WriteLength(4);
        foreach (var v in new ulong[] { 4, 0, 1, 0, 0, 0, 4, 0 }) w.WriteLength(v);
        Assert.Contains("out of order", Refused(w.Written.ToArray()).Message);
    }

    [Fact]
    public void Entries_out_of_order_inside_a_node_are_refused()
    {
        var s = new RedisStream();
        s.Append(Id(1, 1), Args("f", "v"), 0, 4096, 100);
        s.Append(Id(1, 2), Args("f", "v"), 0, 4096, 100);
        var lp = s.Node(0, out _).ToArray();
        // The second entry's seq delta (1) becomes 0: the same ID twice.
        var hex = Convert.ToHexString(lp);
        var second = hex.LastIndexOf("0201000101", StringComparison.Ordinal); // flags 2, ms delta 0, seq delta 1
        Assert.True(second > 0);
        var bad = Convert.FromHexString(hex[..second] + "0201000100" + hex[(second + 10)..]);
        Assert.Contains("out of order", Refused(WithNode(bad, 2)).Message);
        Assert.Equal(2, Load(WithNode(lp, 2)).Length);
    }

    [Fact]
    public void A_length_that_disagrees_with_the_nodes_is_refused()
    {
        var s = new RedisStream();
        s.Append(Id(1, 1), Args("f", "v"), 0, 4096, 100);
        var lp = s.Node(0, out _).ToArray();
        Assert.Equal(1, Load(WithNode(lp)).Length);
        Assert.Contains("length", Refused(WithNode(lp, 2)).Message);
    }

    [Fact]
    public void Pel_entries_without_a_consumer_or_consumers_naming_unknown_entries_are_refused()
    {
        var s = CapturedStream(1);
        var good = Convert.ToHexString(Save(s)).ToLowerInvariant();
        // alice's PEL: count 1 and the raw ID 1-2 at the very end.
        const string alicePel = "01" + "00000000000000010000000000000002";
        Assert.EndsWith(alicePel, good);
        var noOwner = Convert.FromHexString(good[..^alicePel.Length] + "00");
        Assert.Contains("without consumer", Refused(noOwner).Message);
        var unknown = Convert.FromHexString(good[..^alicePel.Length] + "01" + "00000000000000010000000000000009");
        Assert.Contains("not found in group global PEL", Refused(unknown).Message);
    }

    [Fact]
    public void Duplicate_groups_consumers_and_pel_entries_are_refused()
    {
        var w = new RdbWriter();
        w.WriteLength(0);
        foreach (var v in new ulong[] { 0, 0, 0, 0, 0, 0, 0, 0 }) w.WriteLength(v);
        var header = w.Written.ToArray();

        byte[] Groups(Action<RdbWriter> write)
        {
            var g = new RdbWriter();
            g.WriteBytes(header);
            write(g);
            return g.Written.ToArray();
        }

        void Group(RdbWriter g, string name, int pel, params string[] consumers)
        {
            g.WriteString(B(name), false);
            g.WriteLength(0);
            g.WriteLength(0);
            g.WriteLength(0);
            g.WriteLength((ulong)pel);
            for (var i = 0; i < pel; i++)
            {
                g.WriteBytes(new byte[16]);
                g.WriteInt64(1);
                g.WriteLength(1);
            }
            g.WriteLength((ulong)consumers.Length);
            foreach (var c in consumers)
            {
                g.WriteString(B(c), false);
                g.WriteInt64(1);
                g.WriteLength(0);
            }
        }

        Assert.Contains("Duplicated consumer group", Refused(Groups(g =>
        {
            g.WriteLength(2);
            Group(g, "x", 0);
            Group(g, "x", 0);
        })).Message);
        Assert.Contains("Duplicate stream consumer", Refused(Groups(g =>
        {
            g.WriteLength(1);
            Group(g, "x", 0, "c", "c");
        })).Message);
        Assert.Contains("Duplicated global PEL entry", Refused(Groups(g =>
        {
            g.WriteLength(1);
            Group(g, "x", 2, "c");
        })).Message);
        // And the well-formed one loads.
        var ok = Load(Groups(g =>
        {
            g.WriteLength(1);
            Group(g, "x", 0, "c", "d");
        }));
        Assert.Equal(2, ok.Groups![0].ConsumerCount);
    }

    [Fact]
    public void Unknown_types_are_refused()
    {
        Assert.Contains("Unknown RDB encoding type", Refused([0], 20).Message);
    }
}
