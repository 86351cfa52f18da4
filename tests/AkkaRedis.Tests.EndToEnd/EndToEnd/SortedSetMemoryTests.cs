using System.Globalization;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// MEMORY USAGE and DEBUG OBJECT of sorted sets against redis-server: exact for listpacks (the same bytes), within
/// 10 % for skip lists (node levels are random on both servers, and Redis samples only some nodes).
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class SortedSetMemoryTests(E2EServers servers)
{
    private static long Integer(string reply) => long.Parse(reply.TrimStart(':').Replace("\\r\\n", ""), CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(3, 5)]
    [InlineData(100, 20)]
    [InlineData(129, 8)]
    [InlineData(5000, 12)]
    [InlineData(20000, 40)]
    public void MemoryUsageIsWithinTenPercentOfRedis(int members, int memberLength)
    {
        var usages = new List<long>();
        var serialized = new List<string>();
        foreach (var server in new ServerProcess[] { servers.Redis, servers.Akka })
        {
            using var client = server.Connect();
            const string key = "zmem";
            client.Call("DEL", key);
            for (var start = 0; start < members; start += 500)
            {
                var args = new List<string> { "ZADD", key };
                for (var i = start; i < Math.Min(members, start + 500); i++)
                {
                    args.Add((i % 3 == 0 ? i * 0.25 : i).ToString(CultureInfo.InvariantCulture));
                    args.Add(i.ToString(CultureInfo.InvariantCulture).PadLeft(memberLength, 'm'));
                }
                client.Call([.. args]);
            }
            usages.Add(Integer(client.CallText("MEMORY", "USAGE", key, "SAMPLES", "0")));
            // The RDB size without LZF (AkkaRedis does not compress: see DebugObject).
            client.Call("CONFIG", "SET", "rdbcompression", "no");
            var line = client.CallText("DEBUG", "OBJECT", key);
            client.Call("CONFIG", "SET", "rdbcompression", "yes");
            serialized.Add(line[line.IndexOf("encoding:", StringComparison.Ordinal)..line.IndexOf(" lru:", StringComparison.Ordinal)]);
            client.Call("DEL", key);
        }
        Assert.Equal(serialized[0], serialized[1]);
        if (members <= 128) Assert.Equal(usages[0], usages[1]);
        else Assert.InRange(usages[1], usages[0] * 0.9, usages[0] * 1.1);
    }
}
