using AkkaRedis.Tests.EndToEnd.Infrastructure;
using StackExchange.Redis;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>StackExchange.Redis's sorted-set API against AkkaRedis, on small (listpack) and big (skip list) sets.</summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Clients")]
public sealed class StackExchangeRedisSortedSetTests(E2EServers servers)
{
    [Fact]
    public async Task SortedSetOperations()
    {
        using var mux = StackExchangeRedisTests.Connect($"127.0.0.1:{servers.Akka.Port}", new StringWriter());
        var db = mux.GetDatabase();
        const string p = "se:zset:";
        await db.KeyDeleteAsync([p + "small", p + "big", p + "dst"]);

        Assert.True(db.SortedSetAdd(p + "small", "a", 1));
        Assert.Equal(2, db.SortedSetAdd(p + "small", [new SortedSetEntry("b", 2), new SortedSetEntry("c", 3), new SortedSetEntry("a", 1)]));
        Assert.False(db.SortedSetAdd(p + "small", "a", 10, SortedSetWhen.NotExists));
        Assert.Equal(3, db.SortedSetLength(p + "small"));
        Assert.Equal(["a", "b", "c"], db.SortedSetRangeByRank(p + "small").Select(v => (string)v!).ToArray());
        Assert.Equal(["c", "b"], db.SortedSetRangeByRank(p + "small", 0, 1, Order.Descending).Select(v => (string)v!).ToArray());
        var withScores = db.SortedSetRangeByRankWithScores(p + "small");
        Assert.Equal([("a", 1.0), ("b", 2.0), ("c", 3.0)], withScores.Select(e => ((string)e.Element!, e.Score)).ToArray());
        Assert.Equal(["b", "c"], db.SortedSetRangeByScore(p + "small", 1, 3, Exclude.Start).Select(v => (string)v!).ToArray());
        Assert.Equal(["b"], db.SortedSetRangeByScore(p + "small", 1, 3, Exclude.Both, Order.Descending).Select(v => (string)v!).ToArray());
        Assert.Equal(2, db.SortedSetRank(p + "small", "c"));
        Assert.Equal(0, db.SortedSetRank(p + "small", "c", Order.Descending));
        Assert.Null(db.SortedSetRank(p + "small", "nosuch"));
        Assert.Equal(2, db.SortedSetLengthByValue(p + "small", "a", "b"));
        Assert.Equal(4.5, db.SortedSetIncrement(p + "small", "a", 3.5));
        Assert.Equal(4.5, db.SortedSetScore(p + "small", "a"));
        Assert.Null(db.SortedSetScore(p + "small", "nosuch"));
        Assert.Equal(3, db.SortedSetLength(p + "small", double.NegativeInfinity, double.PositiveInfinity));
        var min = db.SortedSetPop(p + "small");
        Assert.Equal(("b", 2.0), ((string)min!.Value.Element!, min.Value.Score));
        var max = db.SortedSetPop(p + "small", 5, Order.Descending);
        Assert.Equal([("a", 4.5), ("c", 3.0)], max.Select(e => ((string)e.Element!, e.Score)).ToArray());
        Assert.False(db.KeyExists(p + "small"));

        // A big set (a skip list): ranks, ranges, scans and removals over 5,000 members.
        var entries = Enumerable.Range(0, 5000).Select(i => new SortedSetEntry("m" + i, i * 0.5)).ToArray();
        Assert.Equal(5000, db.SortedSetAdd(p + "big", entries));
        Assert.Equal("skiplist", (string?)db.Execute("OBJECT", "ENCODING", p + "big"));
        Assert.Equal(4321, db.SortedSetRank(p + "big", "m4321"));
        Assert.Equal(["m100", "m101", "m102"], db.SortedSetRangeByRank(p + "big", 100, 102).Select(v => (string)v!).ToArray());
        Assert.Equal(["m20", "m21"], db.SortedSetRangeByScore(p + "big", 10, 11, skip: 0, take: 2).Select(v => (string)v!).ToArray());
        var scanned = db.SortedSetScan(p + "big", pageSize: 100).ToList();
        Assert.Equal(5000, scanned.Count);
        Assert.Equal(5000, scanned.Select(e => (string)e.Element!).Distinct().Count());
        Assert.All(scanned, e => Assert.Equal(int.Parse(((string)e.Element!)[1..]) * 0.5, e.Score));
        var matched = db.SortedSetScan(p + "big", "m49*", pageSize: 50).Select(e => (string)e.Element!).OrderBy(s => s).ToList();
        Assert.Equal(111, matched.Count);
        Assert.Equal(1000, db.SortedSetRemoveRangeByRank(p + "big", 0, 999));
        Assert.Equal(10, db.SortedSetRemoveRangeByScore(p + "big", 500, 505, Exclude.Stop));
        Assert.True(db.SortedSetRemove(p + "big", "m4999"));
        Assert.Equal(3989, db.SortedSetLength(p + "big"));
        Assert.Equal(3, db.SortedSetRangeAndStore(p + "big", p + "dst", 0, 2));
        Assert.Equal("listpack", (string?)db.Execute("OBJECT", "ENCODING", p + "dst"));
        Assert.Equal(["m1010", "m1011", "m1012"], db.SortedSetRangeByRank(p + "dst").Select(v => (string)v!).ToArray());
        var random = db.SortedSetRandomMembers(p + "big", 10);
        Assert.Equal(10, random.Distinct().Count());
        Assert.All(random, m => Assert.NotNull(db.SortedSetScore(p + "big", m)));
    }
}
