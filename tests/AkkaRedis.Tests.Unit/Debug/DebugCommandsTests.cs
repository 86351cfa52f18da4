using System.Text;
using System.Text.RegularExpressions;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Session;
using AkkaRedis.Tests.Unit.Commands;
using AkkaRedis.Tests.Unit.Server;

namespace AkkaRedis.Tests.Unit.Debug;

/// <summary>
/// DEBUG: the enable-debug-command gate, and the subcommands' replies. Expected digests and DEBUG OBJECT fields were
/// recorded from redis-server 7.0.15 with the same commands.
/// </summary>
public sealed class DebugCommandsTests
{
    private const string Zeros = "0000000000000000000000000000000000000000";

    private static string Status(string hex) => "+" + hex + "\r\n";

    /// <summary>The keys of the recording: every string encoding, a list, and keys with a TTL.</summary>
    private static void Load(MultiShardHarness h)
    {
        h.Run("set", "s", "hello");
        h.Run("set", "i", "12345");
        h.Run("set", "e", "");
        h.Run("set", "r", new string('x', 50));
        h.Run("rpush", "l", "a", "b", "c");
        h.Run("set", "t", "v", "ex", "1000");
        h.Run("rpush", "lt", "1", "2");
        h.Run("expire", "lt", "1000");
    }

    [Theory]
    [InlineData("no", "127.0.0.1:5000", false)]
    [InlineData("yes", "10.1.2.3:5000", true)]
    [InlineData("local", "127.0.0.1:5000", true)]
    [InlineData("local", "[::1]:5000", true)]
    // islocalClient compares the peer's text with "127.0.0.1" and "::1": other loopback addresses are not local.
    [InlineData("local", "127.0.0.2:5000", false)]
    [InlineData("local", "10.1.2.3:5000", false)]
    public void The_gate_follows_enable_debug_command(string setting, string address, bool allowed)
    {
        var config = new ServerConfig();
        Assert.Null(config.SetFromFile("enable-debug-command", [setting]));
        var client = new ClientSession(1, address, "127.0.0.1:6379");
        var debug = AkkaRedis.Actors.Session.Families.CreateTable().Find("debug")!;
        Assert.Equal(allowed ? null : ConnectionGate.DebugNotAllowed, ConnectionGate.RejectProtected(config, client, debug));
        // Only DEBUG is protected.
        Assert.Null(ConnectionGate.RejectProtected(config, client, AkkaRedis.Actors.Session.Families.CreateTable().Find("get")!));
    }

    [Fact]
    public void Digest_value_matches_redis_for_every_string_encoding_and_lists()
    {
        var h = new MultiShardHarness(4);
        Load(h);
        Assert.Equal(
            "*8\r\n" + string.Concat(new[]
            {
                "36b23a1456b2dce2c3ed252c456761301dba8060", // embstr
                "e1cf90774e995ae03de66e8109dc5cb9d9c2dc83", // int
                "8b3447c33a834b810e3e181b6fd6a2ee1020921c", // empty
                "0bd0ba55ab9ee2bf15c3c5086e54e4cc642b2cc4", // raw
                "8bf72d812571eea9b927f3c11beb0c4165a6ff89", // list
                "311b17018163335616e089f6b951c82c477335ac", // string with a TTL
                "9a0cbbad4fd199e75620d01a5c7293177464e70c", // list with a TTL
                Zeros, // missing key
            }.Select(Status)),
            h.Run("debug", "digest-value", "s", "i", "e", "r", "l", "t", "lt", "nokey"));
        Assert.Equal("*0\r\n", h.Run("debug", "digest-value"));
    }

    [Fact]
    public void Digest_value_of_large_lists_matches_redis()
    {
        var h = new MultiShardHarness(2);
        h.Run(["rpush", "big", .. Enumerable.Range(1, 1000).Select(i => $"element-{i}")]);
        h.Run(["rpush", "nums", .. Enumerable.Range(1, 300).Select(i => i.ToString())]);
        h.Run("rpush", "huge", new string('y', 9000), "a", new string('z', 5000), "b");
        Assert.Equal(
            "*3\r\n" + Status("e9c06bb5de8ced21dc73d62e9dd93b1a0fe67b72") + Status("bd2bc6bcaa82e70eb7c57ffe33325c4c62470ada") +
            Status("442818941bab105bd484e18adb4f3794932bd201"),
            h.Run("debug", "digest-value", "big", "nums", "huge"));
    }

    [Fact]
    public void Dataset_digest_matches_redis_across_shards_and_databases()
    {
        var h = new MultiShardHarness(4);
        Assert.Equal(Status(Zeros), h.Run("debug", "digest"));
        h.Run("set", "s", "hello");
        Assert.Equal(Status("a500c6b54937da22f2ac1167da1da852479c7339"), h.Run("debug", "digest"));

        h = new MultiShardHarness(4);
        Load(h);
        Assert.Equal(Status("860c9df743411fdb9e3ebf66eb4449d2f8f9f5cc"), h.Run("debug", "digest"));
        h.Db = 1;
        h.Run("set", "s", "hello");
        Assert.Equal(Status("6bd37b249d87ebeaeb04e74640fac42a69a9c3a7"), h.Run("debug", "digest"));

        // The order in which keys were written (and the shard count) does not matter.
        var other = new MultiShardHarness(3);
        other.Db = 1;
        other.Run("set", "s", "hello");
        other.Db = 0;
        other.Run("rpush", "lt", "1", "2");
        other.Run("expire", "lt", "1000");
        other.Run("set", "t", "v", "ex", "1000");
        other.Run("rpush", "l", "a", "b", "c");
        other.Run("set", "r", new string('x', 50));
        other.Run("set", "e", "");
        other.Run("set", "i", "12345");
        other.Run("set", "s", "hello");
        Assert.Equal(Status("6bd37b249d87ebeaeb04e74640fac42a69a9c3a7"), other.Run("debug", "digest"));
    }

    [Fact]
    public void Digest_primitives_are_xor_and_mix()
    {
        Span<byte> a = stackalloc byte[DebugDigest.Size];
        Span<byte> b = stackalloc byte[DebugDigest.Size];
        DebugDigest.Xor(a, "x"u8);
        DebugDigest.Xor(a, "y"u8);
        DebugDigest.Xor(b, "y"u8);
        DebugDigest.Xor(b, "x"u8);
        Assert.True(a.SequenceEqual(b), "xor is order-independent");
        a.Clear();
        b.Clear();
        DebugDigest.Mix(a, "x"u8);
        DebugDigest.Mix(a, "y"u8);
        DebugDigest.Mix(b, "y"u8);
        DebugDigest.Mix(b, "x"u8);
        Assert.False(a.SequenceEqual(b), "mix is order-dependent");
    }

    [Fact]
    public void Protocol_replies_every_type_as_redis_does_in_resp2_and_resp3()
    {
        var expected = new Dictionary<string, (string Resp2, string Resp3)>
        {
            ["string"] = ("$11\r\nHello World\r\n", "$11\r\nHello World\r\n"),
            ["integer"] = (":12345\r\n", ":12345\r\n"),
            ["double"] = ("$5\r\n3.141\r\n", ",3.141\r\n"),
            ["bignum"] = ("$37\r\n1234567999999999999999999999999999999\r\n", "(1234567999999999999999999999999999999\r\n"),
            ["null"] = ("$-1\r\n", "_\r\n"),
            ["array"] = ("*3\r\n:0\r\n:1\r\n:2\r\n", "*3\r\n:0\r\n:1\r\n:2\r\n"),
            ["set"] = ("*3\r\n:0\r\n:1\r\n:2\r\n", "~3\r\n:0\r\n:1\r\n:2\r\n"),
            ["map"] = ("*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n", "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n"),
            ["attrib"] = ("$39\r\nSome real reply following the attribute\r\n",
                "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n"),
            ["push"] = ("-ERR RESP2 is not supported by this command\r\n",
                ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n"),
            ["verbatim"] = ("$25\r\nThis is a verbatim\nstring\r\n", "=29\r\ntxt:This is a verbatim\nstring\r\n"),
            ["true"] = (":1\r\n", "#t\r\n"),
            ["false"] = (":0\r\n", "#f\r\n"),
        };
        var resp2 = new HandlerHarness();
        var resp3 = new HandlerHarness(protocol: 3);
        foreach (var (type, (two, three)) in expected)
        {
            Assert.Equal(two, resp2.Run("debug", "protocol", type));
            Assert.Equal(three, resp3.Run("DEBUG", "PROTOCOL", type.ToUpperInvariant()));
        }
        Assert.Equal("-ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false\r\n",
            resp2.Run("debug", "protocol", "foo"));
    }

    [Fact]
    public void Object_prints_redis_fields_per_encoding()
    {
        var h = new HandlerHarness();
        h.Run("set", "s", "hello");
        h.Run("set", "small", "5");
        h.Run("set", "i", "12345");
        h.Run("set", "n", "-123456789012");
        h.Run("set", "e", "");
        h.Run("rpush", "l", "a", "b", "c");
        h.Run(["rpush", "nums", .. Enumerable.Range(1, 300).Select(i => i.ToString())]);
        h.Run(["rpush", "big", .. Enumerable.Range(1, 1000).Select(i => $"element-{i}")]);
        h.Run("rpush", "huge", new string('y', 9000), "a", new string('z', 5000), "b");

        const string Head = @"^\+Value at:0x[0-9a-f]+ ";
        // The LRU clock counts whole seconds: a key set just before a second ticks over is 1 s idle at once, and a
        // loaded machine may take another second to get through the test.
        const string Lru = @" lru:\d+ lru_seconds_idle:[0-2]";
        Assert.Matches(Head + "refcount:1 encoding:embstr serializedlength:6" + Lru + "\r\n$", h.Run("debug", "object", "s"));
        // Redis shares the objects of small integers.
        Assert.Matches(Head + "refcount:2147483647 encoding:int serializedlength:2" + Lru + "\r\n$", h.Run("debug", "object", "small"));
        Assert.Matches(Head + "refcount:1 encoding:int serializedlength:3" + Lru + "\r\n$", h.Run("debug", "object", "i"));
        Assert.Matches(Head + "refcount:1 encoding:int serializedlength:14" + Lru + "\r\n$", h.Run("debug", "object", "n"));
        Assert.Matches(Head + "refcount:1 encoding:embstr serializedlength:1" + Lru + "\r\n$", h.Run("debug", "object", "e"));
        Assert.Matches(Head + "refcount:1 encoding:quicklist serializedlength:19" + Lru +
                       " ql_nodes:1 ql_avg_node:3.00 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:16\r\n$", h.Run("debug", "object", "l"));
        Assert.Matches(Head + "refcount:1 encoding:quicklist serializedlength:784" + Lru +
                       " ql_nodes:1 ql_avg_node:300.00 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:780\r\n$", h.Run("debug", "object", "nums"));
        // Redis LZF-compresses these nodes in the RDB (serializedlength 5067 and 215): not emulated.
        Assert.Matches(Head + @"refcount:1 encoding:quicklist serializedlength:\d+" + Lru +
                       " ql_nodes:2 ql_avg_node:500.00 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:12907\r\n$", h.Run("debug", "object", "big"));
        Assert.Matches(Head + @"refcount:1 encoding:quicklist serializedlength:\d+" + Lru +
                       " ql_nodes:2 ql_avg_node:2.00 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:14034\r\n$", h.Run("debug", "object", "huge"));

        Assert.Null(h.Server.Config.Set("list-max-listpack-size", "5"));
        h.Run(["rpush", "five", .. Enumerable.Range(1, 12).Select(i => i.ToString())]);
        Assert.Matches(Head + "refcount:1 encoding:quicklist serializedlength:52" + Lru +
                       " ql_nodes:3 ql_avg_node:4.00 ql_listpack_max:5 ql_compressed:0 ql_uncompressed_size:45\r\n$", h.Run("debug", "object", "five"));

        Assert.Equal("-ERR no such key\r\n", h.Run("debug", "object", "nokey"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'object'. Try DEBUG HELP.\r\n", h.Run("debug", "object", "s", "x"));
    }

    [Fact]
    public void Populate_creates_missing_keys_on_every_shard()
    {
        var h = new MultiShardHarness(4);
        h.Run("set", "key:3", "mine");
        Assert.Equal("+OK\r\n", h.Run("debug", "populate", "100"));
        Assert.Equal(":100\r\n", h.Run("dbsize"));
        Assert.All(h.Shards, s => Assert.True(s.Databases[0].Count > 0));
        Assert.Equal("$7\r\nvalue:0\r\n", h.Run("get", "key:0"));
        Assert.Equal("$8\r\nvalue:99\r\n", h.Run("get", "key:99"));
        Assert.Equal("$4\r\nmine\r\n", h.Run("get", "key:3"));

        Assert.Equal("+OK\r\n", h.Run("debug", "populate", "2", "p", "10"));
        Assert.Equal("$10\r\nvalue:0\0\0\0\r\n", h.Run("get", "p:0"));
        Assert.Equal("+OK\r\n", h.Run("debug", "populate", "1", "q", "3"));
        Assert.Equal("$3\r\nval\r\n", h.Run("get", "q:0"));
        Assert.Equal("+OK\r\n", h.Run("debug", "populate", "1", "z", "0"));
        Assert.Equal("$7\r\nvalue:0\r\n", h.Run("get", "z:0"));
        Assert.Equal("+OK\r\n", h.Run("debug", "populate", "0"));

        Assert.Equal("-ERR value is out of range, must be positive\r\n", h.Run("debug", "populate", "-1"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", h.Run("debug", "populate", "x"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", h.Run("debug", "populate", "1", "w", "-1"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'populate'. Try DEBUG HELP.\r\n",
            h.Run("debug", "populate", "1", "w", "1", "2"));
    }

    [Fact]
    public void Sleep_holds_the_shards_and_set_active_expire_switches_expiry()
    {
        var h = new ServerHarness();
        Assert.Equal("+OK\r\n", h.Run("debug", "sleep", "0.25"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), h.HoldFor);
        Assert.Equal("+OK\r\n", h.Run("DEBUG", "SLEEP", "x"));
        Assert.Null(h.HoldFor);
        Assert.Equal("+OK\r\n", h.Run("debug", "set-active-expire", "0"));
        Assert.False(h.Server.Config.ActiveExpireEnabled);
        Assert.Equal("+OK\r\n", h.Run("debug", "set-active-expire", "2"));
        Assert.True(h.Server.Config.ActiveExpireEnabled);
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'sleep'. Try DEBUG HELP.\r\n", h.Run("debug", "sleep"));
        // %.128s of a C string, as redis-server 7.0.15 prints it: the subcommand ends at its first NUL.
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'a'. Try DEBUG HELP.\r\n", h.Run("debug", "a\0b"));
    }

    [Fact]
    public void The_small_subcommands_answer_as_redis()
    {
        var h = new ServerHarness();
        h.Run("set", "s", "hello");
        h.Run("rpush", "l", "a");
        var cases = new (string[] Args, string Reply)[]
        {
            (["error", "hello"], "-hello\r\n"),
            (["error", "-FOO"], "--FOO\r\n"),
            (["error", ""], "-\r\n"),
            (["error", "a\nb"], "-a b\r\n"),
            (["listpack", "l"], "-ERR Not a listpack encoded object.\r\n"),
            (["listpack", "nokey"], "-ERR no such key\r\n"),
            (["quicklist", "l"], "+Quicklist structure printed on stdout\r\n"),
            (["quicklist", "l", "1"], "+Quicklist structure printed on stdout\r\n"),
            (["quicklist", "s"], "-ERR Not a quicklist encoded object.\r\n"),
            (["quicklist-packed-threshold", "1k"], "+OK\r\n"),
            (["quicklist-packed-threshold", "0"], "+OK\r\n"),
            (["quicklist-packed-threshold", "4095mb"], "+OK\r\n"),
            (["quicklist-packed-threshold", "4gb"], "-ERR argument must be a memory value bigger than 1 and smaller than 4gb\r\n"),
            (["quicklist-packed-threshold", "-1"], "-ERR argument must be a memory value bigger than 1 and smaller than 4gb\r\n"),
            (["replybuffer", "peak-reset-time", "never"], "+OK\r\n"),
            (["replybuffer", "peak-reset-time", "RESET"], "+OK\r\n"),
            (["replybuffer", "peak-reset-time", "100"], "+OK\r\n"),
            (["replybuffer", "peak-reset-time", "abc"], "-ERR value is not an integer or out of range\r\n"),
            (["replybuffer", "resizing", "0"], "+OK\r\n"),
            (["REPLYBUFFER", "foo", "1"], "-ERR unknown subcommand or wrong number of arguments for 'REPLYBUFFER'. Try DEBUG HELP.\r\n"),
            (["change-repl-id"], "+OK\r\n"),
            (["stringmatch-test"], "+Apparently Redis did not crash: test passed\r\n"),
            (["structsize"], "$83\r\nbits:64 robj:16 dictentry:24 sdshdr5:1 sdshdr8:3 sdshdr16:5 sdshdr32:9 sdshdr64:17 \r\n"),
            (["drop-cluster-packet-filter", "x"], "-ERR value is not an integer or out of range\r\n"),
            (["drop-cluster-packet-filter", "-1"], "+OK\r\n"),
            (["log", "x"], "+OK\r\n"),
            // Not in Redis 7.0.15 (JMAP is gone, STRINGMATCH-LEN is STRINGMATCH-TEST there).
            (["jmap"], "-ERR unknown subcommand or wrong number of arguments for 'jmap'. Try DEBUG HELP.\r\n"),
            (["stringmatch-len"], "-ERR unknown subcommand or wrong number of arguments for 'stringmatch-len'. Try DEBUG HELP.\r\n"),
            (["help", "x"], "-ERR unknown subcommand or wrong number of arguments for 'help'. Try DEBUG HELP.\r\n"),
        };
        foreach (var (args, reply) in cases) Assert.Equal(reply, h.Run(["debug", .. args]));

        var before = h.Server.Runtime.MasterReplId;
        h.Run("debug", "change-repl-id");
        Assert.NotEqual(before, h.Server.Runtime.MasterReplId);
        Assert.Matches("^[0-9a-f]{40}$", h.Server.Runtime.MasterReplId);

        var help = h.Run("debug", "help");
        Assert.StartsWith("*106\r\n+DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+AOF-FLUSH-SLEEP <microsec>\r\n", help);
        Assert.EndsWith("+CLUSTERLINK KILL <to|from|all> <node-id>\r\n+    Kills the link based on the direction to/from (both) with the provided node.\r\n+HELP\r\n+    Prints this help.\r\n", help);
    }
}
