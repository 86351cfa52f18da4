using AkkaRedis.Tests.EndToEnd.Infrastructure;
using StackExchange.Redis;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>StackExchange.Redis's Sort and SortAndStore (SORT_RO / SORT ... STORE) against AkkaRedis, with BY and GET
/// patterns naming keys on other shards than the sorted list.</summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Clients")]
public sealed class StackExchangeRedisSortTests(E2EServers servers)
{
    [Fact]
    public void SortAndSortAndStoreOnAList()
    {
        using var mux = StackExchangeRedisTests.Connect($"127.0.0.1:{servers.Akka.Port}", new StringWriter());
        var db = mux.GetDatabase();
        const string p = "se:sort:";
        db.KeyDelete([p + "l", p + "dst"]);
        db.ListRightPush(p + "l", ["3", "1", "2", "10"]);
        db.StringSet([new(p + "w_1", 40), new(p + "w_2", 30), new(p + "w_3", 20), new(p + "w_10", 10)]);
        db.StringSet([new(p + "name_1", "one"), new(p + "name_2", "two"), new(p + "name_10", "ten")]);

        Assert.Equal(["1", "2", "3", "10"], db.Sort(p + "l").Select(v => (string)v!));
        Assert.Equal(["3", "2"], db.Sort(p + "l", skip: 1, take: 2, order: Order.Descending).Select(v => (string)v!));
        Assert.Equal(["1", "10", "2", "3"], db.Sort(p + "l", sortType: SortType.Alphabetic).Select(v => (string)v!));
        Assert.Equal(["10", "3", "2", "1"], db.Sort(p + "l", by: p + "w_*").Select(v => (string)v!));
        var names = db.Sort(p + "l", by: p + "w_*", get: [p + "name_*", "#"]);
        Assert.Equal(["ten", "10", null, "3", "two", "2", "one", "1"], names.Select(v => (string?)v));

        Assert.Equal(4, db.SortAndStore(p + "dst", p + "l", by: p + "w_*", get: [p + "name_*"]));
        Assert.Equal(["ten", "", "two", "one"], db.ListRange(p + "dst").Select(v => (string)v!));
        Assert.Equal(0, db.SortAndStore(p + "dst", p + "l", skip: 10, take: 1));
        Assert.False(db.KeyExists(p + "dst"));

        db.StringSet(p + "str", "x");
        var e = Assert.Throws<RedisServerException>(() => db.Sort(p + "str"));
        Assert.StartsWith("WRONGTYPE", e.Message);
        db.ListRightPush(p + "bad", "x");
        e = Assert.Throws<RedisServerException>(() => db.Sort(p + "bad"));
        Assert.Equal("ERR One or more scores can't be converted into double", e.Message);
    }
}
