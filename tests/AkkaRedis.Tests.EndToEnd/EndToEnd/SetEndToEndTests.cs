using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;
using StackExchange.Redis;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// The set family where the differential scripts cannot look: intset reply order byte for byte (the scripts compare
/// set replies as member sets, since hashtable order is Redis's hash seed's), SPOP and SRANDMEMBER samples by their
/// properties, MEMORY USAGE within 10 % of redis-server where it is not exact, and StackExchange.Redis's set API.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class SetEndToEndTests(E2EServers servers)
{
    private static string Text(byte[] reply) => Resp.Escape(reply);

    /// <summary>Runs the same commands on both servers (fresh keys under <paramref name="prefix"/>), returning the pairs
    /// of raw replies.</summary>
    private List<(string Command, byte[] Redis, byte[] Akka)> Both(int resp, params string[][] commands)
    {
        using var redis = RawRespClient.Connect(servers.Redis.Port);
        using var akka = RawRespClient.Connect(servers.Akka.Port);
        if (resp == 3)
        {
            redis.Call("HELLO", "3");
            akka.Call("HELLO", "3");
        }
        var result = new List<(string, byte[], byte[])>();
        foreach (var c in commands) result.Add((string.Join(' ', c), redis.Call(c), akka.Call(c)));
        return result;
    }

    [Theory, Trait("Family", "sets")]
    [InlineData(2)]
    [InlineData(3)]
    public void IntsetRepliesAreInAscendingOrder(int resp)
    {
        var p = $"setorder{resp}:";
        string[][] commands =
        [
            ["DEL", p + "a", p + "b", p + "d"],
            ["SADD", p + "a", "30", "-7", "5", "100000", "2", "-3000000000"],
            ["SADD", p + "b", "5", "1", "30", "-7", "9"],
            ["OBJECT", "ENCODING", p + "a"],
            ["SMEMBERS", p + "a"],
            ["SINTER", p + "a", p + "b"],
            ["SUNION", p + "b", p + "a"],
            ["SDIFF", p + "a", p + "b"],
            ["SRANDMEMBER", p + "a", "100"],
            ["SSCAN", p + "a", "0"],
            ["SUNIONSTORE", p + "d", p + "b", p + "a"],
            ["SMEMBERS", p + "d"],
            ["SPOP", p + "d", "100"],
        ];
        foreach (var (command, redis, akka) in Both(resp, commands))
            Assert.True(redis.AsSpan().SequenceEqual(akka), $"{command}: redis {Text(redis)} vs akkaredis {Text(akka)}");
    }

    [Fact, Trait("Family", "sets")]
    public void SpopWithCountPopsDistinctMembersAndRebuildsTheRestAsRedisDoes()
    {
        using var akka = RawRespClient.Connect(servers.Akka.Port);
        const string p = "spopprops:";
        akka.Call("DEL", p + "s", p + "t");
        // Case 2 (few of many): random members removed one by one.
        akka.Call(["SADD", p + "s", .. Enumerable.Range(0, 100).Select(i => "m" + i)]);
        akka.Call("EXPIRE", p + "s", "1000");
        var popped = Members(akka.Call("SPOP", p + "s", "10"));
        Assert.Equal(10, popped.Distinct().Count());
        Assert.Equal(":90\r\n", Encoding.ASCII.GetString(akka.Call("SCARD", p + "s")));
        foreach (var m in popped) Assert.Equal(":0\r\n", Encoding.ASCII.GetString(akka.Call("SISMEMBER", p + "s", m)));
        // Case 3 (most of them): the kept members make a new set, TTL kept.
        popped = Members(akka.Call("SPOP", p + "s", "85"));
        Assert.Equal(85, popped.Distinct().Count());
        Assert.Equal(":5\r\n", Encoding.ASCII.GetString(akka.Call("SCARD", p + "s")));
        Assert.NotEqual(":-1\r\n", Encoding.ASCII.GetString(akka.Call("TTL", p + "s")));

        // A hashtable that holds only integers becomes an intset when SPOP rebuilds it (setTypeCreate), on both servers.
        string[][] commands =
        [
            ["DEL", p + "t"],
            ["SADD", p + "t", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "x"],
            ["SREM", p + "t", "x"],
            ["OBJECT", "ENCODING", p + "t"],
        ];
        using (var redisSide = RawRespClient.Connect(servers.Redis.Port))
        {
            foreach (var c in commands) Assert.Equal(Text(redisSide.Call(c)), Text(akka.Call(c)));
            redisSide.Call("SPOP", p + "t", "9");
            akka.Call("SPOP", p + "t", "9");
            Assert.Equal(Text(redisSide.Call("OBJECT", "ENCODING", p + "t")), Text(akka.Call("OBJECT", "ENCODING", p + "t")));
            Assert.Equal("$6\r\nintset\r\n", Encoding.ASCII.GetString(akka.Call("OBJECT", "ENCODING", p + "t")));
        }
    }

    [Fact, Trait("Family", "sets")]
    public void SrandmemberSamplesAreMembers()
    {
        using var akka = RawRespClient.Connect(servers.Akka.Port);
        const string p = "srandprops:";
        akka.Call("DEL", p + "s");
        var all = Enumerable.Range(0, 50).Select(i => "m" + i).ToHashSet();
        akka.Call(["SADD", p + "s", .. all]);
        foreach (var count in new[] { 3, 20, 40 })
        {
            var distinct = Members(akka.Call("SRANDMEMBER", p + "s", count.ToString()));
            Assert.Equal(count, distinct.Count);
            Assert.Equal(count, distinct.Distinct().Count());
            Assert.All(distinct, m => Assert.Contains(m, all));
        }
        var draws = Members(akka.Call("SRANDMEMBER", p + "s", "-200"));
        Assert.Equal(200, draws.Count);
        Assert.All(draws, m => Assert.Contains(m, all));
        Assert.True(draws.Distinct().Count() > 10, "200 independent draws from 50 members hit more than 10 of them");
    }

    [Fact, Trait("Family", "sets")]
    public void MemoryUsageIsWithinTenPercentOfRedis()
    {
        const string p = "setmem:";
        List<string[]> setup =
        [
            ["DEL", p + "small", p + "ints", p + "wide", p + "mixed", p + "big", p + "bigints", p + "shrunk"],
            ["SADD", p + "small", "alpha", "beta", "gamma"],
            ["SADD", p + "ints", "1", "2", "3", "70000"],
            ["SADD", p + "wide", "1", "10000000000"],
            ["SADD", p + "mixed", "1", "2", "3", "4", "x"], // Redis is mid-rehash here: both tables count
            ["SADD", p + "big", .. Enumerable.Range(0, 2000).Select(i => "member:" + i)],
            ["SADD", p + "bigints", .. Enumerable.Range(0, 1000).Select(i => (i * 7).ToString())],
            ["SADD", p + "shrunk", .. Enumerable.Range(0, 300).Select(i => "s" + i)],
            ["SREM", p + "shrunk", .. Enumerable.Range(0, 280).Select(i => "s" + i)],
        ];
        var replies = Both(2, [.. setup, .. new[] { "small", "ints", "wide", "mixed", "big", "bigints", "shrunk" }.Select(k => new[] { "MEMORY", "USAGE", p + k })]);
        foreach (var (command, redis, akka) in replies.Skip(setup.Count))
        {
            var r = long.Parse(Encoding.ASCII.GetString(redis).Trim(':', '\r', '\n'));
            var a = long.Parse(Encoding.ASCII.GetString(akka).Trim(':', '\r', '\n'));
            Assert.True(Math.Abs(a - r) <= r / 10, $"{command}: redis {r}, akkaredis {a}");
        }
    }

    [Fact, Trait("Family", "sets")]
    public async Task StackExchangeRedisSetOperations()
    {
        var log = new StringWriter();
        using var mux = StackExchangeRedisTests.Connect($"127.0.0.1:{servers.Akka.Port}", log);
        var db = mux.GetDatabase();
        // Keys without hash tags: a, b and the destination fall on different shards of the 4-shard server.
        RedisKey a = "se:set:a", b = "se:set:b", dest = "se:set:dest", big = "se:set:big";
        await db.KeyDeleteAsync([a, b, dest, big]);

        Assert.Equal(3, await db.SetAddAsync(a, ["x", "y", "1"]));
        Assert.True(await db.SetAddAsync(b, "y"));
        Assert.False(await db.SetAddAsync(b, "y"));
        Assert.Equal(2, await db.SetAddAsync(b, ["z", "1"]));
        Assert.Equal(3, await db.SetLengthAsync(a));
        Assert.True(await db.SetContainsAsync(a, "x"));
        var contains = await db.SetContainsAsync(a, ["y", "nope"]);
        Assert.Equal(new[] { true, false }, contains);
        Assert.Equal(["1", "x", "y"], (await db.SetMembersAsync(a)).Select(v => (string)v!).Order());

        Assert.Equal(["1", "y"], (await db.SetCombineAsync(SetOperation.Intersect, a, b)).Select(v => (string)v!).Order());
        Assert.Equal(["1", "x", "y", "z"], (await db.SetCombineAsync(SetOperation.Union, a, b)).Select(v => (string)v!).Order());
        Assert.Equal(["x"], (await db.SetCombineAsync(SetOperation.Difference, a, b)).Select(v => (string)v!));
        Assert.Equal(4, await db.SetCombineAndStoreAsync(SetOperation.Union, dest, a, b));
        Assert.Equal(2, await db.SetIntersectionLengthAsync([a, b]));
        Assert.Equal(1, await db.SetIntersectionLengthAsync([a, b], limit: 1));

        Assert.True(await db.SetMoveAsync(a, b, "x"));
        Assert.False(await db.SetMoveAsync(a, b, "x"));
        Assert.Equal(2, await db.SetRemoveAsync(b, ["x", "z", "nope"]));
        Assert.True(await db.SetRemoveAsync(a, "1"));

        var member = await db.SetRandomMemberAsync(a);
        Assert.Equal("y", (string?)member);
        Assert.Equal("y", (string?)await db.SetPopAsync(a));
        Assert.False(await db.KeyExistsAsync(a));
        Assert.True((await db.SetPopAsync(a)).IsNull);

        var expected = Enumerable.Range(0, 1000).Select(i => "m" + i).ToHashSet();
        Assert.Equal(1000, await db.SetAddAsync(big, [.. expected.Select(m => (RedisValue)m)]));
        // SSCAN through every cursor of the big (hashtable) form.
        var scanned = db.SetScan(big, pageSize: 50).Select(v => (string)v!).ToList();
        Assert.Equal(expected.Order(), scanned.Distinct().Order());
        var popped = await db.SetPopAsync(big, 600);
        Assert.Equal(600, popped.Select(v => (string)v!).Distinct().Count());
        Assert.Equal(400, await db.SetLengthAsync(big));
        Assert.Equal(10, (await db.SetRandomMembersAsync(big, 10)).Distinct().Count());
        Assert.Equal("set", (await db.KeyTypeAsync(big)).ToString().ToLowerInvariant());
    }

    private static List<string> Members(byte[] reply)
    {
        var value = RespValue.Parse(reply);
        return value.Items!.Select(i => i.Text).ToList();
    }
}
