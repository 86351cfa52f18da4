using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd.Persistence;

/// <summary>A temporary directory of one test (prefix rdb-), deleted at the end.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rdb-e2e-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }
    public string File(string name = "dump.rdb") => System.IO.Path.Combine(Path, name);

    public void Dispose() => RealRedisProcess.DeleteQuietly(Path);
}

/// <summary>
/// A dataset holding every type in every encoding Redis 7.0 writes, small and large, with TTLs, in several databases
/// (streams separately: <see cref="WriteStreams"/>), and the key-by-key comparison of two servers' datasets.
/// </summary>
public static class RdbTestData
{
    public static readonly int[] Databases = [0, 3, 15];

    private static string Call(RawRespClient c, params string[] args)
    {
        var reply = c.CallText(args);
        Assert.False(reply.StartsWith('-'), $"{string.Join(' ', args)}: {reply}");
        return reply;
    }

    /// <summary>Fills the server: strings (int, embstr, raw, LZF-compressible, big), lists (one listpack node, many
    /// nodes, big elements), hashes (listpack, hashtable by count and by value length), sets (intset, hashtable of
    /// ints and of strings), sorted sets (listpack, skiplist by count and by member length, infinities), HyperLogLog,
    /// bitmap, geo; TTLs on some of each.</summary>
    public static void WriteEveryType(RawRespClient c)
    {
        foreach (var db in Databases)
        {
            Call(c, "SELECT", db.ToString());
            var p = $"db{db}:";
            Call(c, "SET", p + "int", "12345");
            Call(c, "SET", p + "negint", "-9223372036854775808");
            Call(c, "SET", p + "embstr", "hello world");
            Call(c, "SET", p + "raw", new string('r', 100) + "x");
            Call(c, "SET", p + "lzf", string.Concat(Enumerable.Repeat("abcdefgh", 2000)));
            Call(c, "SET", p + "binary", "\u0000\u0001\u00ff");
            Call(c, "SET", p + "ttl", "expires later", "PX", "100000000");
            Call(c, "SET", p + "", "empty key name");
            Call(c, "RPUSH", p + "list:small", "a", "b", "1", "-2", "3000000000");
            c.Call(Resp.Args(["RPUSH", p + "list:big", .. Enumerable.Range(0, 3000).Select(i => i % 3 == 0 ? i.ToString() : "item-" + i)]));
            Call(c, "RPUSH", p + "list:plain", new string('p', 10000), "x", string.Concat(Enumerable.Repeat("zz", 5000)));
            Call(c, "PEXPIRE", p + "list:small", "50000000");
            Call(c, "HSET", p + "hash:small", "f1", "v1", "f2", "2", "f3", "");
            c.Call(Resp.Args(["HSET", p + "hash:big", .. Enumerable.Range(0, 600).SelectMany(i => new[] { "field" + i, i % 2 == 0 ? i.ToString() : "value" + i })]));
            Call(c, "HSET", p + "hash:longvalue", "f", new string('h', 100));
            Call(c, "PEXPIRE", p + "hash:big", "60000000");
            Call(c, "SADD", p + "set:intset", "1", "2", "3", "-100", "100000000000");
            c.Call(Resp.Args(["SADD", p + "set:bigint", .. Enumerable.Range(0, 700).Select(i => (i * 7).ToString())]));
            Call(c, "SADD", p + "set:strings", "a", "b", "c", "1");
            Call(c, "ZADD", p + "zset:small", "1", "a", "2.5", "b", "-inf", "min", "+inf", "max", "0", "zero");
            c.Call(Resp.Args(["ZADD", p + "zset:big", .. Enumerable.Range(0, 300).SelectMany(i => new[] { (i * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture), "m" + i })]));
            Call(c, "ZADD", p + "zset:longmember", "3.14159", new string('z', 100));
            Call(c, "PEXPIRE", p + "zset:small", "70000000");
            Call(c, "PFADD", p + "hll", "a", "b", "c", "d");
            Call(c, "SETBIT", p + "bitmap", "1000", "1");
            Call(c, "GEOADD", p + "geo", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
        }
        Call(c, "SELECT", "0");
    }

    /// <summary>Streams: a small and a big one, one with consumer groups, consumers and pending entries.</summary>
    public static void WriteStreams(RawRespClient c)
    {
        for (var i = 0; i < 5; i++) Call(c, "XADD", "stream:small", $"1-{i}", "f", "v" + i);
        for (var i = 0; i < 500; i++) Call(c, "XADD", "stream:big", "*", "field", "value" + i, "n", i.ToString());
        Call(c, "XDEL", "stream:small", "1-2");
        Call(c, "XGROUP", "CREATE", "stream:small", "g1", "0");
        Call(c, "XGROUP", "CREATE", "stream:small", "g2", "$");
        Call(c, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "2", "STREAMS", "stream:small", ">");
        Call(c, "XREADGROUP", "GROUP", "g1", "bob", "COUNT", "1", "STREAMS", "stream:small", ">");
        Call(c, "XACK", "stream:small", "g1", "1-0");
    }

    /// <summary>Every key of <paramref name="db"/>, sorted.</summary>
    public static List<string> Keys(RawRespClient c, int db)
    {
        Call(c, "SELECT", db.ToString());
        var reply = RespValue.Parse(c.Call("KEYS", "*"));
        return reply.Items!.Select(k => Encoding.Latin1.GetString(k.Payload!)).OrderBy(k => k, StringComparer.Ordinal).ToList();
    }

    /// <summary>Both servers hold the same dataset: DEBUG DIGEST, and per key its type, encoding, value digest and TTL
    /// (within a minute: the servers' clocks and the time between the two reads).</summary>
    public static void AssertSameDataset(RawRespClient expected, RawRespClient actual, IEnumerable<int> databases)
    {
        Assert.Equal(expected.CallText("DEBUG", "DIGEST"), actual.CallText("DEBUG", "DIGEST"));
        foreach (var db in databases)
        {
            var keys = Keys(expected, db);
            Assert.Equal(keys, Keys(actual, db));
            foreach (var key in keys)
            {
                foreach (var command in new[] { "TYPE", "OBJECT ENCODING", "DEBUG DIGEST-VALUE" })
                {
                    var args = command.Split(' ').Append(key).ToArray();
                    Assert.True(expected.CallText(args) == actual.CallText(args), $"db {db} key '{key}': {command} differs: {expected.CallText(args)} vs {actual.CallText(args)}");
                }
                var ttlExpected = long.Parse(RespValue.Parse(expected.Call("PTTL", key)).HeadText);
                var ttlActual = long.Parse(RespValue.Parse(actual.Call("PTTL", key)).HeadText);
                Assert.True(ttlExpected < 0 ? ttlActual == ttlExpected : Math.Abs(ttlExpected - ttlActual) < 60_000,
                    $"db {db} key '{key}': PTTL {ttlExpected} vs {ttlActual}");
            }
        }
        expected.CallText("SELECT", "0");
        actual.CallText("SELECT", "0");
    }
}
