using System.Globalization;
using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;
using StackExchange.Redis;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// The HyperLogLog at sizes the differential scripts do not reach: a million distinct elements added to AkkaRedis and
/// redis-server alike must leave byte-identical HLLs (GET) with the same estimate, within 2 % of the true count;
/// MEMORY USAGE of sparse and dense HLLs within 10 % of redis-server's; and StackExchange.Redis's HyperLogLog API.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
[Trait("Family", "hyperloglog")]
public sealed class HyperLogLogEndToEndTests(E2EServers servers)
{
    private const int Distinct = 1_000_000;
    private const int PerCommand = 1000;
    private const int CommandsPerRound = 50;

    [Fact]
    public void AMillionDistinctElementsGiveRedisBytesAndCountWithinTwoPercent()
    {
        const string key = "hll:million";
        using var redis = RawRespClient.Connect(servers.Redis.Port, TimeSpan.FromSeconds(60));
        using var akka = RawRespClient.Connect(servers.Akka.Port, TimeSpan.FromSeconds(60));
        redis.Call("DEL", key);
        akka.Call("DEL", key);

        // Rounds of pipelined PFADDs of 1,000 elements each, the same bytes sent to both servers; the replies must
        // agree too (1 while a register still changes, 0 once none does).
        var next = 0;
        while (next < Distinct)
        {
            var commands = new List<byte[][]>(CommandsPerRound);
            for (var c = 0; c < CommandsPerRound && next < Distinct; c++)
            {
                var args = new byte[PerCommand + 2][];
                args[0] = "PFADD"u8.ToArray();
                args[1] = Encoding.ASCII.GetBytes(key);
                for (var i = 0; i < PerCommand; i++, next++) args[i + 2] = Encoding.ASCII.GetBytes("element:" + next.ToString(CultureInfo.InvariantCulture));
                commands.Add(args);
            }
            var bytes = Resp.EncodeMany(commands);
            redis.Send(bytes);
            akka.Send(bytes);
            var expected = redis.ReadReplies(commands.Count);
            var actual = akka.ReadReplies(commands.Count);
            for (var i = 0; i < commands.Count; i++)
                Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]), $"PFADD reply {Resp.Escape(actual[i])}, redis-server {Resp.Escape(expected[i])}");
        }

        var redisBytes = redis.Call("GET", key);
        var akkaBytes = akka.Call("GET", key);
        Assert.Equal(12304 + "$12304\r\n\r\n".Length, akkaBytes.Length);
        Assert.True(redisBytes.AsSpan().SequenceEqual(akkaBytes), "GET of the HLL differs from redis-server's");

        var redisCount = redis.Call("PFCOUNT", key);
        var akkaCount = akka.Call("PFCOUNT", key);
        Assert.Equal(Resp.Escape(redisCount), Resp.Escape(akkaCount));
        var count = long.Parse(Encoding.ASCII.GetString(akkaCount.AsSpan(1, akkaCount.Length - 3)), CultureInfo.InvariantCulture);
        Assert.InRange(Math.Abs(count - Distinct) / (double)Distinct, 0, 0.02);

        // PFCOUNT wrote the estimate into the header: the bytes stay identical.
        Assert.True(redis.Call("GET", key).AsSpan().SequenceEqual(akka.Call("GET", key)), "GET after PFCOUNT differs");
        redis.Call("DEL", key);
        akka.Call("DEL", key);
    }

    /// <summary>A sparse HLL's sds grows by doubling as PFADD changes it (sdsMakeRoomFor), a dense one is exact:
    /// MEMORY USAGE follows redis-server's along the way (HllBuffer.Alloc), one element per PFADD and many at once.</summary>
    [Fact]
    public void MemoryUsageOfSparseAndDenseHllsIsRedisWithinTenPercent()
    {
        using var redis = RawRespClient.Connect(servers.Redis.Port);
        using var akka = RawRespClient.Connect(servers.Akka.Port);
        const string key = "hll:mem", batched = "hll:mem:batched";
        Both(redis, akka, ["DEL", key, batched]);
        Both(redis, akka, ["PFADD", key]);
        Compare(redis, akka, key);
        var added = 0;
        foreach (var size in new[] { 10, 40, 100, 250, 600, 1200, 1650, 3000 })
        {
            var commands = new List<byte[][]>();
            for (; added < size; added++) commands.Add(Resp.Args("PFADD", key, "m" + added.ToString(CultureInfo.InvariantCulture)));
            var bytes = Resp.EncodeMany(commands);
            redis.Send(bytes);
            akka.Send(bytes);
            redis.ReadReplies(commands.Count);
            akka.ReadReplies(commands.Count);
            Compare(redis, akka, key);
            Both(redis, akka, ["PFADD", batched, .. Enumerable.Range(0, size).Select(i => "b" + i.ToString(CultureInfo.InvariantCulture))]);
            Compare(redis, akka, batched);
        }
        Assert.Equal(12304, Integer(akka.Call("STRLEN", key))); // dense by now
        Both(redis, akka, ["DEL", key, batched]);
    }

    private static void Both(RawRespClient redis, RawRespClient akka, string[] command)
    {
        redis.Call(command);
        akka.Call(command);
    }

    private static void Compare(RawRespClient redis, RawRespClient akka, string key)
    {
        var length = Resp.Escape(akka.Call("STRLEN", key));
        Assert.Equal(Resp.Escape(redis.Call("STRLEN", key)), length);
        var expected = Integer(redis.Call("MEMORY", "USAGE", key));
        var actual = Integer(akka.Call("MEMORY", "USAGE", key));
        Assert.True(Math.Abs(actual - expected) <= expected / 10.0, $"MEMORY USAGE {key} (STRLEN {length}): AkkaRedis {actual}, redis-server {expected}");
        Assert.Equal(Resp.Escape(redis.Call("OBJECT", "ENCODING", key)), Resp.Escape(akka.Call("OBJECT", "ENCODING", key)));
        Assert.Equal(Resp.Escape(redis.Call("DEBUG", "DIGEST-VALUE", key)), Resp.Escape(akka.Call("DEBUG", "DIGEST-VALUE", key)));
    }

    private static long Integer(byte[] reply)
    {
        Assert.Equal((byte)':', reply[0]);
        return long.Parse(Encoding.ASCII.GetString(reply.AsSpan(1, reply.Length - 3)), CultureInfo.InvariantCulture);
    }

    [Fact, Trait("Category", "Clients")]
    public async Task StackExchangeRedisHyperLogLogApi()
    {
        using var mux = StackExchangeRedisTests.Connect($"127.0.0.1:{servers.Akka.Port}", new StringWriter());
        var db = mux.GetDatabase();
        // {a} and {b}: different hash slots, so multi-key PFCOUNT and PFMERGE span shards of the 4-shard server.
        RedisKey a = "se:hll:{a}", b = "se:hll:{b}", dst = "se:hll:{dst}", str = "se:hll:str";
        await db.KeyDeleteAsync([a, b, dst, str]);

        Assert.True(db.HyperLogLogAdd(a, "x"));
        Assert.False(db.HyperLogLogAdd(a, "x"));
        Assert.True(db.HyperLogLogAdd(a, ["y", "z"]));
        Assert.Equal(3, db.HyperLogLogLength(a));
        Assert.True(await db.HyperLogLogAddAsync(b, Enumerable.Range(0, 5000).Select(i => (RedisValue)("e" + i)).ToArray()));
        var big = db.HyperLogLogLength(b);
        Assert.InRange(big, 4900, 5100);
        Assert.Equal("dense", (string?)db.Execute("PFDEBUG", "ENCODING", b));

        var union = db.HyperLogLogLength([a, b, "se:hll:{missing}"]);
        Assert.InRange(union, big, big + 5);
        db.HyperLogLogMerge(dst, a, b);
        Assert.Equal(union, db.HyperLogLogLength(dst));
        await db.HyperLogLogMergeAsync(dst, [a, b, dst]);
        Assert.Equal(union, await db.HyperLogLogLengthAsync(dst));
        Assert.Equal(0, db.HyperLogLogLength("se:hll:{missing}"));

        db.StringSet(str, "not an hll");
        var error = Assert.Throws<RedisServerException>(() => db.HyperLogLogAdd(str, "x"));
        Assert.Equal("WRONGTYPE Key is not a valid HyperLogLog string value.", error.Message);
        await db.KeyDeleteAsync([a, b, dst, str]);
    }
}
