using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// MEMORY USAGE and DEBUG OBJECT serializedlength of hashes against redis-server: the same hashes built on both,
/// listpack sizes equal to the byte, hashtable sizes within 10 % (Redis samples the dict and counts a dict in the
/// middle of an incremental rehash twice; the sizes here are chosen where redis-server's rehash has finished).
/// serializedlength is compared with rdbcompression off, as the RDB writer then stores each string as it is.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed partial class HashMemoryTests(E2EServers servers)
{
    private static string[] Hset(string key, int fields, Func<int, string> value) =>
        ["HSET", key, .. Enumerable.Range(0, fields).SelectMany(i => new[] { "field:" + (1000 + i), value(i) })];

    private static readonly (string Key, string[][] Build, bool Exact)[] Shapes =
    [
        ("small", [Hset("small", 5, i => "v" + i)], true),
        ("ints", [Hset("ints", 100, i => (i * 997 - 50000).ToString(CultureInfo.InvariantCulture))], true),
        ("mixed", [Hset("mixed", 200, i => i % 3 == 0 ? new string('x', i % 64) : (i * 12345678L).ToString(CultureInfo.InvariantCulture))], true),
        // Fields and values of one size each: Redis's 5-entry sample then sees the same sizes whatever it picks.
        ("table600", [Hset("table600", 600, i => "value" + (1000 + i))], false),
        ("table2000", [Hset("table2000", 2000, i => (10000 + i).ToString(CultureInfo.InvariantCulture))], false),
        ("long", [Hset("long", 10, i => new string((char)('a' + i), 100 + i))], false),
        ("shrunk", [Hset("shrunk", 6, i => "v"), ["HSET", "shrunk", "big", new string('b', 80)], ["HDEL", "shrunk", "field:1000", "field:1001", "field:1002"]], false),
    ];

    [Fact]
    public void MemoryUsageAndSerializedLengthFollowRedis()
    {
        var redis = Collect(servers.Redis);
        var akka = Collect(servers.Akka);
        var problems = new StringBuilder();
        foreach (var (key, _, exact) in Shapes)
        {
            var (rEncoding, rSerialized, rUsage, rAll) = redis[key];
            var (aEncoding, aSerialized, aUsage, aAll) = akka[key];
            var line = $"{key}: encoding {rEncoding}/{aEncoding} serializedlength {rSerialized}/{aSerialized} usage {rUsage}/{aUsage} samples-0 {rAll}/{aAll}";
            var ok = rEncoding == aEncoding && rSerialized == aSerialized &&
                     (exact ? rUsage == aUsage && rAll == aAll : Within(rUsage, aUsage) && Within(rAll, aAll));
            if (!ok) problems.AppendLine(line);
        }
        Assert.True(problems.Length == 0, "redis/akkaredis differ:\n" + problems);
    }

    private static bool Within(long expected, long actual) => Math.Abs(actual - expected) <= expected / 10;

    private static Dictionary<string, (string Encoding, long Serialized, long Usage, long UsageAll)> Collect(ServerProcess server)
    {
        using var c = server.Connect();
        var result = new Dictionary<string, (string, long, long, long)>();
        try
        {
            c.Call("CONFIG", "SET", "rdbcompression", "no");
            foreach (var (key, build, _) in Shapes)
            {
                c.Call("DEL", key);
                foreach (var command in build) c.Call(command);
                var encoding = Text(c.Call("OBJECT", "ENCODING", key));
                var serialized = long.Parse(SerializedLength().Match(Text(c.Call("DEBUG", "OBJECT", key))).Groups[1].Value, CultureInfo.InvariantCulture);
                result[key] = (encoding, serialized, Integer(c.Call("MEMORY", "USAGE", key)), Integer(c.Call("MEMORY", "USAGE", key, "SAMPLES", "0")));
                c.Call("DEL", key);
            }
        }
        finally
        {
            c.Call("CONFIG", "SET", "rdbcompression", "yes");
        }
        return result;
    }

    private static string Text(byte[] reply) => RespValue.Parse(reply).Text;

    private static long Integer(byte[] reply) =>
        RespValue.Parse(reply).TryGetInteger(out var v) ? v : throw new InvalidOperationException("not an integer: " + Resp.Escape(reply));

    [GeneratedRegex("serializedlength:([0-9]+)")]
    private static partial Regex SerializedLength();
}
