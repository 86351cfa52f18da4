using System.Text;
using AkkaRedis.Actors.Session;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Tests.Unit.Commands.KeysCommandTests;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>
/// Runs keyspace handlers over a view holding several shards, as the Transaction actor does for AllShards and
/// cross-shard commands.
/// </summary>
internal sealed class MultiShardHarness
{
    private readonly ExecContext _context;
    private readonly RespWriter _writer = new();

    public MultiShardHarness(int shards, int protocol = 2)
    {
        Server = new ServerContext(new ServerConfig(), AkkaRedis.Actors.Session.Families.CreateTable());
        View = new KeyspaceView(shards);
        Shards = new ShardData[shards];
        for (var i = 0; i < shards; i++)
        {
            Shards[i] = new ShardData(i, Server.Config.Databases);
            View.Hold(Shards[i]);
        }
        _context = new ExecContext(Server.Services, View);
        _writer.Protocol = protocol;
    }

    public ServerContext Server { get; }
    public KeyspaceView View { get; }
    public ShardData[] Shards { get; }
    public int Db { get; set; }

    public string Run(params string[] args) => Run(args.Select(a => Encoding.UTF8.GetBytes(a)).ToArray());

    public string Run(byte[][] args)
    {
        var def = Server.Commands.Resolve(args, out var error);
        _writer.Reset();
        if (def == null) _writer.Error(error!);
        else CommandRunner.Run(_context, def, args, _writer, Db);
        return Encoding.Latin1.GetString(_writer.Written);
    }

    public int ShardOf(string key) => HashSlot.ShardOf(Encoding.UTF8.GetBytes(key), Shards.Length);

    public Database DbOf(string key, int db = 0) => Shards[ShardOf(key)].Databases[db];

    /// <summary>A key named prefix+n that lives on <paramref name="shard"/>.</summary>
    public string KeyOn(int shard, string prefix = "k")
    {
        for (var n = 0; ; n++)
            if (ShardOf(prefix + n) == shard) return prefix + n;
    }

    public void SetExpired(string key)
    {
        Run("SET", key, "v");
        var db = DbOf(key);
        db.SetExpire(db.Find(Encoding.UTF8.GetBytes(key), ServerContext.UnixMs())!, ServerContext.UnixMs() - 1000);
    }
}

public sealed class KeysMultiShardTests
{
    private static string Int(long n) => $":{n}\r\n";
    private static string Bulk(string s) => $"${s.Length}\r\n{s}\r\n";

    [Fact]
    public void Keys_spread_over_shards_and_whole_keyspace_commands_see_them_all()
    {
        var h = new MultiShardHarness(4);
        for (var i = 0; i < 200; i++) h.Run("SET", "key:" + i, "v");
        Assert.All(h.Shards, s => Assert.True(s.Databases[0].Count > 10));
        Assert.Equal(Int(200), h.Run("DBSIZE"));
        Assert.Equal(200, Keys(h.Run("KEYS", "*")).Length);
        Assert.Equal(new[] { "key:7", "key:70", "key:71", "key:72", "key:73", "key:74", "key:75", "key:76", "key:77", "key:78", "key:79" },
            Keys(h.Run("KEYS", "key:7*")));
        h.Db = 1;
        Assert.Equal(Int(0), h.Run("DBSIZE"));
        Assert.Equal("*0\r\n", h.Run("KEYS", "*"));
    }

    [Fact]
    public void Flushdb_and_flushall_clear_every_shard()
    {
        var h = new MultiShardHarness(3);
        for (var i = 0; i < 60; i++) h.Run("SET", "a:" + i, "v");
        h.Db = 2;
        for (var i = 0; i < 60; i++) h.Run("SET", "b:" + i, "v");
        Assert.Equal("+OK\r\n", h.Run("FLUSHDB"));
        Assert.Equal(Int(0), h.Run("DBSIZE"));
        h.Db = 0;
        Assert.Equal(Int(60), h.Run("DBSIZE"));
        h.Db = 5;
        h.Run("SET", "c", "v");
        Assert.Equal("+OK\r\n", h.Run("FLUSHALL", "ASYNC"));
        Assert.All(h.Shards, s => Assert.All(s.Databases, db => Assert.Equal(0, db.Count)));
    }

    [Fact]
    public void Swapdb_swaps_on_every_shard()
    {
        var h = new MultiShardHarness(4);
        for (var i = 0; i < 40; i++) h.Run("SET", "x:" + i, "v" + i);
        h.Run("EXPIRE", "x:3", "100");
        Assert.Equal("+OK\r\n", h.Run("SWAPDB", "0", "9"));
        Assert.Equal(Int(0), h.Run("DBSIZE"));
        h.Db = 9;
        Assert.Equal(Int(40), h.Run("DBSIZE"));
        Assert.Equal(Bulk("v17"), h.Run("GET", "x:17"));
        Assert.Equal(Int(100), h.Run("TTL", "x:3"));
        Assert.All(h.Shards, s =>
        {
            for (var i = 0; i < s.Databases.Length; i++) Assert.Equal(i, s.Databases[i].Index);
        });
    }

    [Fact]
    public void Randomkey_draws_from_every_shard()
    {
        var h = new MultiShardHarness(4);
        var keys = Enumerable.Range(0, 4).Select(s => h.KeyOn(s)).ToArray();
        foreach (var k in keys) h.Run("SET", k, "v");
        var seen = new HashSet<string>();
        for (var i = 0; i < 400 && seen.Count < keys.Length; i++)
        {
            var reply = h.Run("RANDOMKEY");
            seen.Add(reply[(reply.IndexOf('\n') + 1)..^2]);
        }
        Assert.Equal(keys.OrderBy(k => k), seen.OrderBy(k => k));
    }

    [Fact]
    public void Randomkey_is_weighted_by_shard_size()
    {
        var h = new MultiShardHarness(2);
        for (var i = 0; i < 90; i++) h.Run("SET", h.KeyOn(0, "big" + i + ":"), "v");
        for (var i = 0; i < 10; i++) h.Run("SET", h.KeyOn(1, "small" + i + ":"), "v");
        var small = 0;
        for (var i = 0; i < 2000; i++)
            if (h.Run("RANDOMKEY").Contains("small")) small++;
        // Expect about 200 (10%); a uniform pick of a shard would give about 1000.
        Assert.InRange(small, 100, 350);
    }

    [Fact]
    public void Randomkey_never_returns_expired_keys_from_any_shard()
    {
        var h = new MultiShardHarness(3);
        for (var i = 0; i < 150; i++) h.SetExpired(h.KeyOn(i % 3, "dead" + i + ":"));
        var live = h.KeyOn(2, "live");
        h.Run("SET", live, "v");
        for (var i = 0; i < 10; i++) Assert.Equal(Bulk(live), h.Run("RANDOMKEY"));
        h.Run("DEL", live);
        Assert.Equal("$-1\r\n", h.Run("RANDOMKEY"));
        Assert.Equal(Int(0), h.Run("DBSIZE"));
        Assert.Equal("_\r\n", new MultiShardHarness(3, protocol: 3).Run("RANDOMKEY"));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    [InlineData(16, 4)]
    [InlineData(17, 5)]
    [InlineData(1024, 10)]
    public void Scan_cursor_keeps_the_shard_in_as_few_low_bits_as_needed(int shards, int bits)
    {
        Assert.Equal(bits, KeyCommands.ShardBits(shards));
        for (var shard = 0; shard < shards; shard += Math.Max(1, shards / 7))
        {
            foreach (var bucketCursor in new ulong[] { 0, 1, 5, 1023, (1UL << 31) - 1 })
            {
                var cursor = KeyCommands.EncodeCursor(shard, bucketCursor, shards);
                Assert.Equal((shard, bucketCursor), KeyCommands.DecodeCursor(cursor, shards));
            }
        }
        // One shard: the cursor is the table's own, exactly as Redis's.
        if (shards == 1) Assert.Equal(12345UL, KeyCommands.EncodeCursor(0, 12345, 1));
    }

    private static (HashSet<string> Keys, int Calls) FullScan(MultiShardHarness h, params string[] options)
    {
        var seen = new HashSet<string>();
        var cursor = "0";
        var calls = 0;
        var lastShard = 0;
        do
        {
            var args = new List<string> { "SCAN", cursor };
            args.AddRange(options);
            var (next, keys) = ScanReply(h.Run(args.ToArray()));
            foreach (var k in keys) seen.Add(k);
            cursor = next;
            if (cursor != "0")
            {
                // Shards are walked in order, never revisited.
                var (shard, _) = KeyCommands.DecodeCursor(ulong.Parse(cursor), h.Shards.Length);
                Assert.True(shard >= lastShard);
                lastShard = shard;
            }
            Assert.True(++calls < 100_000);
        } while (cursor != "0");
        return (seen, calls);
    }

    [Theory]
    [InlineData(2, "1")]
    [InlineData(3, "3")]
    [InlineData(4, "10")]
    [InlineData(7, "1000")]
    public void Scan_visits_every_key_of_every_shard_and_ends_at_zero(int shards, string count)
    {
        var h = new MultiShardHarness(shards);
        var expected = new HashSet<string>();
        for (var i = 0; i < 700; i++)
        {
            h.Run("SET", "key:" + i, "v");
            expected.Add("key:" + i);
        }
        var (keys, _) = FullScan(h, "COUNT", count);
        Assert.Equal(expected.OrderBy(k => k), keys.OrderBy(k => k));
    }

    [Fact]
    public void Scan_of_a_small_keyspace_over_many_shards_takes_one_call()
    {
        var h = new MultiShardHarness(8);
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", h.Run("SCAN", "0"));
        var only = h.KeyOn(7);
        h.Run("SET", only, "v");
        Assert.Equal($"*2\r\n$1\r\n0\r\n*1\r\n{Bulk(only)}", h.Run("SCAN", "0"));
        for (var i = 0; i < 5; i++) h.Run("SET", "few" + i, "v");
        var (cursor, keys) = ScanReply(h.Run("SCAN", "0"));
        Assert.Equal("0", cursor);
        Assert.Equal(6, keys.Length);
    }

    [Fact]
    public void Scan_with_match_and_type_across_shards()
    {
        var h = new MultiShardHarness(4);
        for (var i = 0; i < 300; i++) h.Run("SET", (i % 3 == 0 ? "odd:" : "even:") + i, "v");
        var (matched, _) = FullScan(h, "MATCH", "odd:*", "COUNT", "4");
        Assert.Equal(100, matched.Count);
        var listKey = h.KeyOn(3, "list");
        h.DbOf(listKey).SetValue(Encoding.UTF8.GetBytes(listKey), RedisType.List, ObjectEncoding.QuickList, new object(), ServerContext.UnixMs());
        var (lists, _) = FullScan(h, "TYPE", "list");
        Assert.Equal(new[] { listKey }, lists.ToArray());
    }

    [Fact]
    public void Scan_from_a_cursor_naming_a_shard_that_does_not_exist_ends()
    {
        var h = new MultiShardHarness(3); // 2 shard bits: shard index 3 is unused
        for (var i = 0; i < 50; i++) h.Run("SET", "k" + i, "v");
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", h.Run("SCAN", "3"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", h.Run("SCAN", "7"));
    }

    /// <summary>Run on one shard, SCAN skips the shards that hold no key (their counts read racily), so an empty
    /// keyspace answers cursor 0 at once, as Redis does, and a scan hands over to the next shard with keys.</summary>
    [Fact]
    public void Scan_on_one_shard_skips_empty_shards()
    {
        var h = new MultiShardHarness(4);
        string Scan(int shard, string cursor)
        {
            var writer = new RespWriter();
            var context = new ExecContext(h.Server.Services, KeyspaceView.ForShard(h.Shards[shard], 4, h.Shards));
            var args = new[] { "SCAN", cursor, "COUNT", "1000" }.Select(Encoding.UTF8.GetBytes).ToArray();
            CommandRunner.Run(context, h.Server.Commands.Find("scan")!, args, writer, 0);
            return ScanReply(Encoding.Latin1.GetString(writer.Written)).Item1;
        }
        Assert.Equal("0", Scan(0, "0"));
        var key = Enumerable.Range(0, 1000).Select(i => "k" + i).First(k => h.ShardOf(k) == 2);
        h.Run("SET", key, "v");
        Assert.Equal(KeyCommands.EncodeCursor(2, 0, 4).ToString(), Scan(0, "0"));
        Assert.Equal("0", Scan(2, KeyCommands.EncodeCursor(2, 0, 4).ToString()));
    }

    /// <summary>The session routes SCAN to the shard its cursor names; there a call ends with that shard's last
    /// bucket and hands over to the next shard (scatter over calls, one shard per call).</summary>
    [Fact]
    public void Scan_on_one_shard_ends_where_that_shard_ends()
    {
        var h = new MultiShardHarness(3);
        for (var i = 0; i < 90; i++) h.Run("SET", "k" + i, "v");
        var partial = new KeyspaceView(3);
        partial.Hold(h.Shards[1]);
        var context = new ExecContext(h.Server.Services, partial);
        var writer = new RespWriter();
        var args = new[] { "SCAN", "0", "COUNT", "1000" }.Select(Encoding.UTF8.GetBytes).ToArray();
        CommandRunner.Run(context, h.Server.Commands.Find("scan")!, args, writer, 0);
        var (cursor, keys) = ScanReply(Encoding.Latin1.GetString(writer.Written));
        Assert.Equal(KeyCommands.EncodeCursor(2, 0, 3).ToString(), cursor);
        Assert.Equal(h.Shards[1].Databases[0].Count, keys.Length);
        Assert.All(keys, k => Assert.Equal(1, h.ShardOf(k)));

        var last = new KeyspaceView(3);
        last.Hold(h.Shards[2]);
        writer.Reset();
        var next = new[] { "SCAN", cursor, "COUNT", "1000" }.Select(Encoding.UTF8.GetBytes).ToArray();
        CommandRunner.Run(new ExecContext(h.Server.Services, last), h.Server.Commands.Find("scan")!, next, writer, 0);
        (cursor, keys) = ScanReply(Encoding.Latin1.GetString(writer.Written));
        Assert.Equal("0", cursor);
        Assert.Equal(h.Shards[2].Databases[0].Count, keys.Length);
    }

    [Fact]
    public void Scan_returns_every_key_present_for_the_whole_scan_while_tables_grow_and_shrink()
    {
        var h = new MultiShardHarness(3);
        var stable = new HashSet<string>();
        for (var i = 0; i < 300; i++)
        {
            h.Run("SET", "stable:" + i, "v");
            stable.Add("stable:" + i);
        }
        var everPresent = new HashSet<string>(stable);
        var temp = new List<string>();
        var nextTemp = 0;
        var grew = false;
        var shrank = false;
        int[] Buckets() => h.Shards.Select(s => s.Databases[0].ScanBucketCount).ToArray();

        var seen = new HashSet<string>();
        var cursor = "0";
        var calls = 0;
        do
        {
            var (next, keys) = ScanReply(h.Run("SCAN", cursor, "COUNT", "3"));
            foreach (var k in keys)
            {
                Assert.Contains(k, everPresent);
                seen.Add(k);
            }
            cursor = next;
            calls++;

            // Between calls: phases of heavy growth, then mass deletion (the tables shrink), then growth again.
            var before = Buckets();
            var phase = calls % 40;
            if (phase < 25)
            {
                for (var i = 0; i < 300; i++)
                {
                    var k = "temp:" + nextTemp++;
                    h.Run("SET", k, "v");
                    temp.Add(k);
                    everPresent.Add(k);
                }
            }
            else if (phase == 25)
            {
                foreach (var k in temp) h.Run("DEL", k);
                temp.Clear();
            }
            var after = Buckets();
            for (var s = 0; s < after.Length; s++)
            {
                if (after[s] > before[s]) grew = true;
                if (after[s] < before[s]) shrank = true;
            }
            Assert.True(calls < 100_000);
        } while (cursor != "0");

        Assert.True(grew, "the tables never grew during the scan");
        Assert.True(shrank, "the tables never shrank during the scan");
        Assert.Empty(stable.Except(seen));
    }

    // ---- keyed commands whose keys span shards (run under the Transaction actor) -------------------------------

    [Fact]
    public void Del_exists_touch_and_unlink_across_shards()
    {
        var h = new MultiShardHarness(4);
        var keys = Enumerable.Range(0, 4).Select(s => h.KeyOn(s)).ToArray();
        foreach (var k in keys) h.Run("SET", k, "v");
        Assert.Equal(Int(4), h.Run("EXISTS", keys[0], keys[1], keys[2], keys[3]));
        Assert.Equal(Int(5), h.Run("TOUCH", keys[0], keys[1], keys[2], keys[3], keys[3]));
        Assert.Equal(Int(2), h.Run("DEL", keys[0], keys[2], "nokey", keys[0]));
        Assert.Equal(Int(2), h.Run("UNLINK", keys[1], keys[3]));
        Assert.Equal(Int(0), h.Run("DBSIZE"));
    }

    [Fact]
    public void Rename_and_renamenx_move_values_between_shards()
    {
        var h = new MultiShardHarness(4);
        var a = h.KeyOn(0, "a");
        var b = h.KeyOn(3, "b");
        h.Run("SET", a, "value");
        h.Run("EXPIRE", a, "100");
        Assert.Equal("+OK\r\n", h.Run("RENAME", a, b));
        Assert.Equal(0, h.Shards[0].Databases[0].Count);
        Assert.Equal(1, h.Shards[3].Databases[0].Count);
        Assert.Equal(0, h.Shards[0].Databases[0].VolatileCount);
        Assert.Equal(1, h.Shards[3].Databases[0].VolatileCount);
        Assert.Equal(Bulk("value"), h.Run("GET", b));
        Assert.Equal(Int(100), h.Run("TTL", b));
        var c = h.KeyOn(1, "c");
        h.Run("SET", c, "other");
        Assert.Equal(Int(0), h.Run("RENAMENX", b, c));
        Assert.Equal(Int(1), h.Run("RENAMENX", c, a));
        Assert.Equal(Bulk("other"), h.Run("GET", a));
        Assert.Equal("-ERR no such key\r\n", h.Run("RENAME", c, b));
    }

    [Fact]
    public void Copy_across_shards_and_databases()
    {
        var h = new MultiShardHarness(4);
        var a = h.KeyOn(1, "a");
        var b = h.KeyOn(2, "b");
        h.Run("SET", a, "value");
        Assert.Equal(Int(1), h.Run("COPY", a, b));
        Assert.Equal(Int(1), h.Run("COPY", a, b, "DB", "4"));
        Assert.Equal(1, h.Shards[2].Databases[4].Count);
        Assert.Equal(Int(0), h.Run("COPY", a, b));
        h.Run("SET", a, "newer");
        Assert.Equal(Int(1), h.Run("COPY", a, b, "REPLACE"));
        Assert.Equal(Bulk("newer"), h.Run("GET", b));
        Assert.Equal(Int(2), h.Run("DEL", a, b));
        h.Db = 4;
        Assert.Equal(Bulk("value"), h.Run("GET", b));
    }

    [Fact]
    public void Move_stays_on_the_key_shard()
    {
        var h = new MultiShardHarness(4);
        var k = h.KeyOn(2);
        h.Run("SET", k, "v");
        Assert.Equal(Int(1), h.Run("MOVE", k, "6"));
        Assert.Equal(1, h.Shards[2].Databases[6].Count);
        Assert.Equal(0, h.Shards[2].Databases[0].Count);
    }
}
