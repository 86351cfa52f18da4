using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd.Persistence;

/// <summary>
/// DUMP / RESTORE across the two servers for every type and encoding, small and large (issue 12): each value is built
/// on redis-server, DUMPed there and RESTOREd here, then DUMPed here and RESTOREd on redis-server under another key.
/// Both copies must have redis-server's DEBUG DIGEST-VALUE, OBJECT ENCODING and content read back key by key; where
/// Redis's encoding is deterministic our DUMP must be its bytes; DEBUG OBJECT serializedlength (LZF included) must
/// equal redis-server's. Not deterministic: hashtable orders, and lists not built by RPUSH (lists are cut into
/// quicklist nodes when dumped, as RPUSH would have cut them).
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed partial class DumpRestoreInteropTests(E2EServers servers)
{
    private static string[] Cmd(params object[] parts) =>
        parts.SelectMany(p => p is IEnumerable<string> many ? many : [Convert.ToString(p, CultureInfo.InvariantCulture)!]).ToArray();

    private static IEnumerable<string> Range(int n, Func<int, string> f) => Enumerable.Range(0, n).Select(f);

    private static string Pseudo(int seed, int length)
    {
        var rng = new Random(seed);
        return new string(Enumerable.Range(0, length).Select(_ => (char)('a' + rng.Next(26))).ToArray());
    }

    /// <summary>Key, the commands that build it, whether its DUMP is byte-for-byte deterministic, how to read it back.</summary>
    private static readonly (string Key, string[][] Build, bool Deterministic, string[] Read)[] Values =
    [
        ("str:int", [Cmd("SET", "str:int", "-123456")], true, ["GET"]),
        ("str:bigint", [Cmd("SET", "str:bigint", "98765432109876")], true, ["GET"]),
        ("str:emb", [Cmd("SET", "str:emb", "hello world")], true, ["GET"]),
        ("str:lzf", [Cmd("SET", "str:lzf", string.Concat(Enumerable.Repeat("interop-", 5000)))], true, ["GET"]),
        ("str:random", [Cmd("SET", "str:random", Pseudo(1, 3000))], true, ["GET"]),
        ("list:small", [Cmd("RPUSH", "list:small", "a", "1", "-70000", "b", new string('x', 100))], true, ["LRANGE", "0", "-1"]),
        ("list:nodes", [Cmd("RPUSH", "list:nodes", Range(20000, i => i % 3 == 0 ? i.ToString(CultureInfo.InvariantCulture) : "element:" + i))], true, ["LRANGE", "0", "-1"]),
        ("list:big", [Cmd("RPUSH", "list:big", Pseudo(2, 20000), "small", Pseudo(3, 9000))], true, ["LRANGE", "0", "-1"]),
        ("list:pushed-left", [Cmd("LPUSH", "list:pushed-left", Range(3000, i => "left:" + i))], false, ["LRANGE", "0", "-1"]),
        ("hash:listpack", [Cmd("HSET", "hash:listpack", Range(50, i => i % 2 == 0 ? "f" + i : (i * 1000).ToString(CultureInfo.InvariantCulture)))], true, ["HGETALL"]),
        ("hash:table", [Cmd("HSET", "hash:table", Range(2000, i => "field:" + i))], false, ["HLEN"]),
        ("hash:longvalue", [Cmd("HSET", "hash:longvalue", "f", new string('v', 200), "g", "1")], false, ["HGET", "f"]),
        ("set:intset16", [Cmd("SADD", "set:intset16", Range(100, i => (i * 7 - 300).ToString(CultureInfo.InvariantCulture)))], true, ["SMEMBERS"]),
        ("set:intset64", [Cmd("SADD", "set:intset64", "1", "-9223372036854775808", "9223372036854775807")], true, ["SMEMBERS"]),
        ("set:table", [Cmd("SADD", "set:table", Range(1000, i => "member:" + i))], false, ["SCARD"]),
        ("set:bigints", [Cmd("SADD", "set:bigints", Range(1000, i => i.ToString(CultureInfo.InvariantCulture)))], false, ["SCARD"]),
        ("zset:listpack", [Cmd("ZADD", "zset:listpack", "1", "a", "2.5", "b", "-inf", "c", "1e300", "d", "0.1", "e", "-7", "f")], true, ["ZRANGE", "0", "-1", "WITHSCORES"]),
        ("zset:skiplist", [Cmd("ZADD", "zset:skiplist", Range(1000, i => i % 2 == 0 ? (i * 1.25).ToString(CultureInfo.InvariantCulture) : "m" + i))], true, ["ZRANGE", "0", "-1", "WITHSCORES"]),
        ("zset:longmember", [Cmd("ZADD", "zset:longmember", "1", new string('m', 100), "2", "x")], true, ["ZRANGE", "0", "-1", "WITHSCORES"]),
    ];

    [SkippableFact]
    public void Every_type_moves_both_ways_with_equal_content()
    {
        using var redis = servers.Redis.Connect();
        using var akka = servers.Akka.Connect();
        var problems = new StringBuilder();
        foreach (var (key, build, deterministic, read) in Values)
        {
            redis.Call("DEL", key, key + ":back");
            akka.Call("DEL", key);
            foreach (var command in build) redis.Call(command);
            var theirs = Bulk(redis.Call("DUMP", key));
            Expect(problems, key, "RESTORE here", "+OK", Text(akka.Call(Resp.Args("RESTORE", key, "0").Append(theirs).ToArray())));
            Expect(problems, key, "digest", Text(redis.Call("DEBUG", "DIGEST-VALUE", key)), Text(akka.Call("DEBUG", "DIGEST-VALUE", key)));
            Expect(problems, key, "encoding", Text(redis.Call("OBJECT", "ENCODING", key)), Text(akka.Call("OBJECT", "ENCODING", key)));
            Expect(problems, key, "read back", Resp.Escape(redis.Call([read[0], key, .. read[1..]])), Resp.Escape(akka.Call([read[0], key, .. read[1..]])));
            var ours = Bulk(akka.Call("DUMP", key));
            if (deterministic)
            {
                Expect(problems, key, "DUMP bytes", Convert.ToHexString(theirs), Convert.ToHexString(ours));
                Expect(problems, key, "serializedlength", SerializedLength(redis, key), SerializedLength(akka, key));
            }
            Expect(problems, key, "RESTORE there", "+OK", Text(redis.Call(Resp.Args("RESTORE", key + ":back", "0").Append(ours).ToArray())));
            Expect(problems, key, "digest there", Text(redis.Call("DEBUG", "DIGEST-VALUE", key)), Text(redis.Call("DEBUG", "DIGEST-VALUE", key + ":back")));
            Expect(problems, key, "encoding there", Text(redis.Call("OBJECT", "ENCODING", key)), Text(redis.Call("OBJECT", "ENCODING", key + ":back")));
            redis.Call("DEL", key, key + ":back");
            akka.Call("DEL", key);
        }
        Assert.True(problems.Length == 0, "redis-server / akkaredis differ:\n" + problems);
    }

    [Fact]
    public void Uncompressed_dumps_and_ttls_move_both_ways()
    {
        using var redis = servers.Redis.Connect();
        using var akka = servers.Akka.Connect();
        try
        {
            redis.Call("CONFIG", "SET", "rdbcompression", "no");
            akka.Call("CONFIG", "SET", "rdbcompression", "no");
            var value = string.Concat(Enumerable.Repeat("uncompressed ", 500));
            redis.Call("SET", "ttl:key", value, "PX", "500000");
            akka.Call("SET", "ttl:key", value, "PX", "500000");
            var theirs = Bulk(redis.Call("DUMP", "ttl:key"));
            var ours = Bulk(akka.Call("DUMP", "ttl:key"));
            Assert.Equal(Convert.ToHexString(theirs), Convert.ToHexString(ours));
            Assert.Equal("+OK", Text(akka.Call(Resp.Args("RESTORE", "ttl:copy", "100000").Append(theirs).ToArray())));
            var pttl = long.Parse(Text(akka.Call("PTTL", "ttl:copy")), CultureInfo.InvariantCulture);
            Assert.InRange(pttl, 90_000, 100_000);
        }
        finally
        {
            redis.Call("CONFIG", "SET", "rdbcompression", "yes");
            akka.Call("CONFIG", "SET", "rdbcompression", "yes");
            redis.Call("DEL", "ttl:key", "ttl:copy");
            akka.Call("DEL", "ttl:key", "ttl:copy");
        }
    }

    private static void Expect(StringBuilder problems, string key, string what, string expected, string actual)
    {
        if (expected != actual)
            problems.AppendLine($"{key} {what}: redis-server {Shorten(expected)} / akkaredis {Shorten(actual)}");
    }

    private static string Shorten(string s) => s.Length > 300 ? s[..300] + $"...({s.Length} chars)" : s;

    private static byte[] Bulk(byte[] reply) => RespValue.Parse(reply).Payload ?? throw new InvalidOperationException("not a bulk: " + Resp.Escape(reply));

    private static string Text(byte[] reply)
    {
        var v = RespValue.Parse(reply);
        return v.IsError ? "-" + v.Text : v.Type == '+' ? "+" + v.Text : v.Text;
    }

    private static string SerializedLength(RawRespClient c, string key) =>
        SerializedLengthPattern().Match(Text(c.Call("DEBUG", "OBJECT", key))).Groups[1].Value;

    [GeneratedRegex("serializedlength:([0-9]+)")]
    private static partial Regex SerializedLengthPattern();
}
