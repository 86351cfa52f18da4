using System.Text;
using AkkaRedis.Actors.Commands;
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

    // DUMP bodies of redis-server 7.0.15 with rdbcompression yes (LZF listpacks). Group: 13 entries, group workers
    // with alice, bob (one claimed entry, RETRYCOUNT 5), an acknowledged entry, an idle consumer and a tombstone.
    // Nodes: 120 XADDs with stream-node-max-entries 7 and stream-node-max-bytes 300 (Redis's own cuts, 16 nodes),
    // two XDELs, XTRIM MINID ~, a group with 4 entries delivered.
    private const string RedisGroupDump =
        "01100000018bcfe568000000000000000001c340be4110191001000055000c0101010201846e616d65058573636f726506002010000020" +
        "010a86757365722d310707010560110001a0110232070ea0110002a01102330715a0110003a0110234071ca0110004a01102350723a011" +
        "0005a0110236072a200b000320690006a011023707312011407d0007a01102380738a0110008a0110239073fa0110209018780a1023008" +
        "46a012000ac0120231084da012000bc01202320854201240c615dfff020101856f7468657206856669656c64060601ff0c810000018bcf" +
        "e5680100810000018bcfe5680001810000018bcfe56800070d0107776f726b657273810000018bcfe568000505040000018bcfe5680000" +
        "00000000000002300bbd4da2010000050000018bcfe568000000000000000003b40abd4da2010000010000018bcfe56800000000000000" +
        "0004f00abd4da2010000010000018bcfe568000000000000000005f00abd4da2010000010305616c696365b40abd4da201000001000001" +
        "8bcfe56800000000000000000303626f62300bbd4da2010000030000018bcfe5680000000000000000020000018bcfe568000000000000" +
        "0000040000018bcfe5680000000000000000050469646c65a00bbd4da201000000";

    private const string RedisNodesDump =
        "10100000018bcfe568050000000000000000c3408640bc15bc0000003100070100010201856669656c6406816e02400d000020010d8776" +
        "616c7565313508f1983a0305202202000101c014043608f1803ea0140002c014043708f1684220144027400308856f7468657206927ae0" +
        "080001130620354000a063043908f1384a20394014c04e05323008f1204e6014407a802905323108f10852201400ff100000018bcfe568" +
        "070000000000000001c3408840c715c70000003100070100010201856669656c6406816e02400d000020010d8776616c7565323208f1f0" +
        "550305202202000101c014043308f1d8596014040101dfff02a02a043408f1c05da015e0003f043508f1a861a014e0003f043608f19065" +
        "2014406b203f0a0101856f74686572069b7ae01100011c0620834085a06d043808f1606d204300ff100000018bcfe56809000000000000" +
        "0002c3408740b308b3000000300005010220010a856669656c6406816e0200200d00002001158776616c7565323908f148710305010301" +
        "0101dffe02801505333008f1307520150002401500ffc015043108f11879a015c04005333208f1007d60140002e00240063308f2e88000" +
        "0440572016e00041043408f2d0844016402de00042043508f2b88820150101ff100000018bcfe5680c0000000000000000c34090411015" +
        "100100004000070100010101856f7468657206000102200e030001a47ae01a000125042029403c1a0201856669656c64068776616c7565" +
        "333708816e02f28890000408201f4053e0072100386021017094802100016023e0054300396021015898c021e00865013430602101409c" +
        "c021e0086501343160210128a0802140d9e0066501343260210110a420210101ff100000018bcfe5680e0000000000000001c3408c40b7" +
        "15b70000003100070100010201856669656c6406816e02400d000020010e8776616c7565343308f2f8a7000405202302000101c0150434" +
        "08f2e0ab401540130ddfff020101856f7468657206857a4000010606202e0001201ca044043608f2b0b3402e4015e00044043708f298b7" +
        "801500024044a02c043808f280bbc016e00042043908f268bf20150101ff100000018bcfe568100000000000000002c3408c40c215c200" +
        "00003100070100010201856669656c6406816e02400d000020010e8776616c7565353008f250c30004052023040101dffe02a016043108" +
        "f238c7e0001600ffc016043208f220cbc016e00043043308f208cf4015405b20430a0101856f74686572068e7ae00400010f0620652021" +
        "e0004e043508f2d8d640384016e0004e043608f2c0da20150101ff100000018bcfe568130000000000000000c3408440c715c700000031" +
        "00070100010201856669656c6406816e02400d000020010e8776616c7565353708f2a8de000405202302000101c015043808f290e2c015" +
        "0002c015043908f278e680150001202d804105363008f260eac015c04105363108f248eec015c04105363208f230f240154055406f0885" +
        "6f7468657206977ae00d0003180601ff100000018bcfe568150000000000000001c3408240b515b5000000300007010001020185666965" +
        "6c6406816e02400d000020010e8776616c7565363408f200fa000405202302000101c015043508f2e8fd8015040101dfff02a02c053608" +
        "f2d00101602c0001202ea015043708f2b805c015e00042043808f2a00980150002e00242043908f2880dc016c04205373008f270112015" +
        "0101ff100000018bcfe568170000000000000002c3408c40d415d40000003100070100010201856669656c6406816e02400d000020010e" +
        "8776616c7565373108f2581501040520110f0101dffe020101856f7468657206a07ae016000121062057203301ff02a04a043308f2281d" +
        "404a4016e00060043408f21021801500024060a02c043508f2f824e00016e00043043608f2e028c016e00043043708f2c82c20150101ff" +
        "100000018bcfe5681a0000000000000000c3408540b115b10000003100070100010201856669656c6406816e02400d000020010e877661" +
        "6c7565373808f2b030010405202302000101c015043908f29834c0150002a01505383008f280384015402940030a856f7468657206817a" +
        "020620254000805505383208f2504040294015e0003f043308f238448015406da02b043408f2204820150101ff100000018bcfe5681c00" +
        "00000000000001c3408b40bc15bc0000003100070100010201856669656c6406816e02400d000020010e8776616c7565383508f2084c01" +
        "0405202302000101c015043608f2f04f8015040101dfff02a02c043708f2d853c016e00042043808f2c057c015e00042043908f2a85b40" +
        "15407020420a0101856f74686572068a7ae00000010b0620764078805f05393108f2786320330101ff100000018bcfe5681e0000000000" +
        "000002c3407e40b715b70000003000070100010201856669656c6406816e02400d000020010e8776616c7565393208f260670104052023" +
        "040101dffe02a016043308f2486be0001600ffc016043408f2306fc016e00043043508f2187380150002e00243043608f20077e00016e0" +
        "0043043708f2e87ac016e00043043808f2d07e20150101ff100000018bcfe568210000000000000000c3408e4105150501000040000701" +
        "00010101856f7468657206000102200e030001937ae009000114042018402b1b0201856669656c64068876616c756531303009816e02f2" +
        "a08601040820204043e008220031602201888a802200016024e006450032602201708ec022e00a6800336022015892c022e00a68003460" +
        "22014096802240cde008680035602201289a20220101ff100000018bcfe568230000000000000001c3409240d415d40000003100070100" +
        "010201856669656c6406816e02400d000020010f8876616c756531303609f2109e010405202402000101e00016043709f2f8a140164014" +
        "0ddfff020101856f74686572069c7ae01200011d06204600012033c05d043909f2c8a940464016e0005d05313009f2b0ad80160002405d" +
        "a02e05313109f298b1c017e0004505313209f280b520160101ff100000018bcfe568250000000000000002c3408e40df15df0000003100" +
        "070100010201856669656c6406816e02400d000020010f8876616c756531313309f268b90104052024040101dffe02c017043409f250bd" +
        "e0001700ffe00017043509f238c1c017e00146043609f220c54016405f20460a0101856f7468657206a57ae01b00012606207f2038e001" +
        "67043809f2f0cc40504017e00167043909f2d8d020160101ff100000018bcfe56828000000000000000030300000000c00010100010201" +
        "856669656c6406816e0200010201000100018876616c756531323009f2c0d401040501ff4068810000018bcfe5682800810000018bcfe5" +
        "680500810000018bcfe5680b014078010167810000018bcfe568060081ffffffffffffffff040000018bcfe5680500000000000000002e" +
        "1ac74da2010000010000018bcfe5680500000000000000012e1ac74da2010000010000018bcfe5680500000000000000022e1ac74da201" +
        "0000010000018bcfe5680600000000000000002e1ac74da201000001010263312e1ac74da2010000040000018bcfe56805000000000000" +
        "00000000018bcfe5680500000000000000010000018bcfe5680500000000000000020000018bcfe568060000000000000000";

    [Theory]
    [InlineData(RedisGroupDump)]
    [InlineData(RedisNodesDump)]
    public void Redis_servers_compressed_dumps_load_and_save_back_to_the_same_bytes(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var s = Load(bytes);
        Assert.Equal(bytes, Save(s, compress: true));
        // Uncompressed, the same content.
        Assert.Equal(Describe(s), Describe(Load(Save(s))));
    }

    [Fact]
    public void Redis_servers_node_cuts_are_kept_and_appends_continue_the_tail_node()
    {
        var s = Load(Convert.FromHexString(RedisNodesDump));
        Assert.Equal(16, s.NodeCount);
        Assert.Equal(104, s.Length);
        Assert.Equal(34, s.RadixTreeNodes); // XINFO STREAM's radix-tree-nodes on redis-server
        // redis-server's radix-tree-keys after each of 8 such XADDs (same limits) on the restored stream: the tail
        // node it loaded takes 6 more entries, then a new node starts.
        var keys = new List<long>();
        for (ulong i = 1; i <= 8; i++)
        {
            s.Append(Id(1700000000041, i), Args("field", "v", "n", "1"), 0, 300, 7);
            keys.Add(s.RadixTreeKeys);
        }
        Assert.Equal([16, 16, 16, 16, 16, 16, 17, 17], keys);
    }

    // redis-server 7.0.15 (rdbcompression no): XADD x 1-1 f v, XADD x 5-0 f v, XDEL x 5-0, XSETID x 2-0 (allowed: no
    // live entry above it), XADD x 3-0 f w. The node holds 1-1, the tombstone 5-0, then 3-0.
    private const string TombstoneAboveLiveDump =
        "011000000000000000010000000000000001353500000014000201010101018166020001020100010001817602040103010401dfff02" +
        "817602040102010201dfff028177020401ff020300010105000300";

    [Fact]
    public void A_tombstone_above_later_entries_loads_and_they_can_be_deleted()
    {
        var bytes = Convert.FromHexString(TombstoneAboveLiveDump);
        var s = Load(bytes);
        Assert.Equal(bytes, Save(s));
        Assert.Equal(2, s.Length);
        Assert.Equal(Id(3, 0), s.LastId);
        Assert.Equal(Id(5, 0), s.MaxDeletedId);
        Assert.True(s.TryGet(Id(3, 0), out _));
        // XDEL x 3-0 is 1 on redis-server: the tombstone 5-0 before it must not end the search.
        Assert.True(s.DeleteAndRecord(Id(3, 0)));
        Assert.Equal(1, s.Length);
        Assert.Equal(Id(1, 1), s.LastValidId());
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
        // XINFO's lag comes out the same from the loaded counters: 40 added, 19 read; "empty" (past the last ID,
        // counter unknown) cannot be estimated; "" (at 0-0 with the tombstone 3-0 ahead) neither.
        for (var g = 0; g < s.Groups.Count; g++)
            Assert.Equal(StreamLag.Lag(s, s.Groups[g]), StreamLag.Lag(loaded, loaded.Groups[g]));
        Assert.Equal(21, StreamLag.Lag(loaded, lg));
        Assert.Null(StreamLag.Lag(loaded, loaded.Groups.Find(B("empty"))!));
        Assert.Equal(StreamGroup.InvalidEntriesRead, loaded.Groups.Find(B("empty"))!.EntriesRead);
        // The consumer's PEL and the group's share the NACK, as after XREADGROUP.
        lg.Pending.TryGet(Id(4, 0), out var shared);
        lg.FindConsumer(B("alice"))!.Pending.TryGet(Id(4, 0), out var own);
        Assert.Same(shared, own);
        Assert.Equal(300, own.DeliveryCount);
    }

    [Fact]
    public void Compressed_saves_round_trip()
    {
        // rdbcompression: listpacks over 20 bytes go out LZF-compressed (RdbWriter.WriteString) and come back whole.
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
