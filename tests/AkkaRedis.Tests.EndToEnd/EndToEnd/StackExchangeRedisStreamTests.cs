using AkkaRedis.Tests.EndToEnd.Infrastructure;
using StackExchange.Redis;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>StackExchange.Redis's stream API (without consumer groups) against AkkaRedis: adds with generated and
/// explicit IDs, ranges both ways, reads of one and several streams (on different shards), trims and deletes.</summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Clients")]
public sealed class StackExchangeRedisStreamTests(E2EServers servers)
{
    [Fact]
    public async Task StreamOperations()
    {
        using var mux = StackExchangeRedisTests.Connect($"127.0.0.1:{servers.Akka.Port}", new StringWriter());
        var db = mux.GetDatabase();
        const string p = "se:stream:";
        await db.KeyDeleteAsync([p + "s", p + "t", p + "u"]);

        // Generated IDs: milliseconds from the clock, increasing.
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var first = db.StreamAdd(p + "s", "field", "value");
        var second = db.StreamAdd(p + "s", [new NameValueEntry("a", "1"), new NameValueEntry("b", "2")]);
        var firstMs = long.Parse(((string)first!).Split('-')[0]);
        Assert.InRange(firstMs, before - 5000, before + 5000);
        Assert.True(string.CompareOrdinal(first, second) != 0);
        Assert.Equal(2, db.StreamLength(p + "s"));

        // Explicit IDs, and the error for one not above the top.
        Assert.Equal("1-1", (string?)db.StreamAdd(p + "t", "f", "v1", "1-1"));
        Assert.Equal("1-2", (string?)db.StreamAdd(p + "t", "f", "v2", "1-2"));
        Assert.Equal("2-0", (string?)db.StreamAdd(p + "t", [new NameValueEntry("f", "v3"), new NameValueEntry("g", "x")], "2-0"));
        var error = Assert.Throws<RedisServerException>(() => db.StreamAdd(p + "t", "f", "v", "1-5"));
        Assert.Contains("equal or smaller than the target stream top item", error.Message);

        var all = db.StreamRange(p + "t");
        Assert.Equal(["1-1", "1-2", "2-0"], all.Select(e => (string)e.Id!).ToArray());
        Assert.Equal("v3", (string?)all[2]["f"]);
        Assert.Equal("x", (string?)all[2]["g"]);
        var reversed = db.StreamRange(p + "t", "-", "+", 2, Order.Descending);
        Assert.Equal(["2-0", "1-2"], reversed.Select(e => (string)e.Id!).ToArray());
        Assert.Equal(["1-2"], db.StreamRange(p + "t", "1-2", "1-9").Select(e => (string)e.Id!).ToArray());

        // Reads after a position, from one stream and from two (different shards).
        Assert.Equal(["1-2", "2-0"], db.StreamRead(p + "t", "1-1").Select(e => (string)e.Id!).ToArray());
        Assert.Empty(db.StreamRead(p + "t", "2-0"));
        var streams = db.StreamRead([new StreamPosition(p + "t", "1-2"), new StreamPosition(p + "s", "0-0")], countPerStream: 1);
        Assert.Equal(2, streams.Length);
        Assert.Equal(p + "t", (string?)streams[0].Key);
        Assert.Equal(["2-0"], streams[0].Entries.Select(e => (string)e.Id!).ToArray());
        Assert.Equal([(string)first!], streams[1].Entries.Select(e => (string)e.Id!).ToArray());

        // Deletes and trims.
        Assert.Equal(1, db.StreamDelete(p + "t", ["1-1", "9-9"]));
        Assert.Equal(2, db.StreamLength(p + "t"));
        for (var i = 0; i < 250; i++) await db.StreamAddAsync(p + "u", "n", i);
        Assert.Equal(250, db.StreamLength(p + "u"));
        Assert.Equal(100, db.StreamTrim(p + "u", 120, useApproximateMaxLength: true)); // whole 100-entry nodes only
        Assert.Equal(30, db.StreamTrim(p + "u", 120));
        Assert.Equal(120, db.StreamLength(p + "u"));
        Assert.Equal("130", (string?)db.StreamRange(p + "u", count: 1)[0]["n"]);
        Assert.Equal(0, db.StreamLength(p + "missing"));

        // A stream is a type of its own.
        Assert.Equal(RedisType.Stream, db.KeyType(p + "t"));
        Assert.Throws<RedisServerException>(() => db.StringGet(p + "t"));
    }
}
