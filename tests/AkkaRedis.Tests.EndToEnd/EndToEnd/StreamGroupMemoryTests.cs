using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// MEMORY USAGE and DEBUG OBJECT serializedlength of streams with consumer groups against redis-server: the groups'
/// part (streamCG, NACKs, consumers, the PELs' rax estimate) is Redis's arithmetic to the byte, the whole within 10 %
/// (the stream's own part is the stream family's estimate); serializedlength exact, with rdbcompression off.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed partial class StreamGroupMemoryTests(E2EServers servers)
{
    private static IEnumerable<string[]> Xadds(string key, int from, int to) =>
        Enumerable.Range(from, to - from + 1).Select(i => new[] { "XADD", key, $"{1700000000000L + i * 3}-{i % 4}", "field", "value" + i });

    private static readonly (string Key, string[][] Build)[] Shapes =
    [
        ("small", [.. Xadds("small", 1, 3), ["XGROUP", "CREATE", "small", "g", "0"], ["XREADGROUP", "GROUP", "g", "c1", "STREAMS", "small", ">"],
            ["XGROUP", "CREATECONSUMER", "small", "g", "c2"], ["XGROUP", "CREATE", "small", "g2", "$"]]),
        ("empty-group", [.. Xadds("empty-group", 1, 10), ["XGROUP", "CREATE", "empty-group", "g", "$"]]),
        ("big", [.. Xadds("big", 1, 1000), ["XGROUP", "CREATE", "big", "g", "0"],
            ["XREADGROUP", "GROUP", "g", "alice", "COUNT", "600", "STREAMS", "big", ">"], ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "big", ">"],
            ["XACK", "big", "g", .. Enumerable.Range(1, 300).Select(i => $"{1700000000000L + i * 3 * 2}-{i * 2 % 4}")],
            ["XGROUP", "CREATE", "big", "g2", "0"], ["XREADGROUP", "GROUP", "g2", "carol", "NOACK", "STREAMS", "big", ">"]]),
    ];

    [Fact]
    public void MemoryUsageAndSerializedLengthFollowRedis()
    {
        var redis = Collect(servers.Redis);
        var akka = Collect(servers.Akka);
        var problems = new StringBuilder();
        foreach (var (key, _) in Shapes)
        {
            var (rSerialized, rUsage, rAll) = redis[key];
            var (aSerialized, aUsage, aAll) = akka[key];
            if (rSerialized != aSerialized || !Within(rUsage, aUsage) || !Within(rAll, aAll))
                problems.AppendLine($"{key}: serializedlength {rSerialized}/{aSerialized} usage {rUsage}/{aUsage} samples-0 {rAll}/{aAll}");
        }
        Assert.True(problems.Length == 0, "redis/akkaredis differ:\n" + problems);
    }

    private static bool Within(long expected, long actual) => Math.Abs(actual - expected) <= expected / 10;

    private static Dictionary<string, (long Serialized, long Usage, long UsageAll)> Collect(ServerProcess server)
    {
        using var c = server.Connect();
        var result = new Dictionary<string, (long, long, long)>();
        try
        {
            c.Call("CONFIG", "SET", "rdbcompression", "no");
            foreach (var (key, build) in Shapes)
            {
                c.Call("DEL", key);
                foreach (var command in build) c.Call(command);
                var serialized = long.Parse(SerializedLength().Match(RespValue.Parse(c.Call("DEBUG", "OBJECT", key)).Text).Groups[1].Value, CultureInfo.InvariantCulture);
                result[key] = (serialized, Integer(c.Call("MEMORY", "USAGE", key)), Integer(c.Call("MEMORY", "USAGE", key, "SAMPLES", "0")));
                c.Call("DEL", key);
            }
        }
        finally
        {
            c.Call("CONFIG", "SET", "rdbcompression", "yes");
        }
        return result;
    }

    private static long Integer(byte[] reply) =>
        RespValue.Parse(reply).TryGetInteger(out var v) ? v : throw new InvalidOperationException("not an integer: " + Resp.Escape(reply));

    [GeneratedRegex("serializedlength:([0-9]+)")]
    private static partial Regex SerializedLength();
}
