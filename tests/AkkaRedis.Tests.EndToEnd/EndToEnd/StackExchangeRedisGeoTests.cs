using AkkaRedis.Tests.EndToEnd.Infrastructure;
using StackExchange.Redis;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>StackExchange.Redis's geo API against AkkaRedis: the values are the ones redis-server 7.0 gives for
/// Redis's documentation example (Palermo, Catania), and every call is checked against redis-server's own answer.</summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Clients")]
public sealed class StackExchangeRedisGeoTests(E2EServers servers)
{
    private const string P = "se:geo:";

    private static void Fill(IDatabase db)
    {
        db.KeyDelete([P + "sicily", P + "{sicily}dst", P + "other"]);
        Assert.Equal(2, db.GeoAdd(P + "sicily",
            [new GeoEntry(13.361389, 38.115556, "Palermo"), new GeoEntry(15.087269, 37.502669, "Catania")]));
        Assert.False(db.GeoAdd(P + "sicily", 13.361389, 38.115556, "Palermo"));
        Assert.True(db.GeoAdd(P + "sicily", new GeoEntry(12.758489, 38.788135, "edge1")));
    }

    [Fact]
    public void GeoOperations()
    {
        using var mux = StackExchangeRedisTests.Connect($"127.0.0.1:{servers.Akka.Port}", new StringWriter());
        var db = mux.GetDatabase();
        Fill(db);

        Assert.Equal(166274.1516, db.GeoDistance(P + "sicily", "Palermo", "Catania"));
        Assert.Equal(166.2742, db.GeoDistance(P + "sicily", "Palermo", "Catania", GeoUnit.Kilometers));
        Assert.Equal(103.3182, db.GeoDistance(P + "sicily", "Palermo", "Catania", GeoUnit.Miles));
        Assert.Null(db.GeoDistance(P + "sicily", "Palermo", "nosuch"));
        Assert.Equal(["sqc8b49rny0", "sqdtr74hyu0", null], db.GeoHash(P + "sicily", ["Palermo", "Catania", "nosuch"]));

        var palermo = db.GeoPosition(P + "sicily", "Palermo");
        Assert.NotNull(palermo);
        Assert.Equal(13.36138933897018433, palermo!.Value.Longitude);
        Assert.Equal(38.11555639549629859, palermo.Value.Latitude);
        Assert.Null(db.GeoPosition(P + "sicily", "nosuch"));
        Assert.Null(db.GeoPosition(P + "missing", "Palermo"));

        var near = db.GeoRadius(P + "sicily", 15, 37, 200, GeoUnit.Kilometers, order: Order.Ascending,
            options: GeoRadiusOptions.WithCoordinates | GeoRadiusOptions.WithDistance | GeoRadiusOptions.WithGeoHash);
        Assert.Equal(["Catania", "Palermo"], near.Select(r => (string)r.Member!).ToArray());
        Assert.Equal(56.4413, near[0].Distance);
        Assert.Equal(3479447370796909, near[0].Hash);
        Assert.Equal(15.08726745843887329, near[0].Position!.Value.Longitude);

        var byMember = db.GeoRadius(P + "sicily", "Palermo", 100, GeoUnit.Kilometers, options: GeoRadiusOptions.WithDistance);
        Assert.Equal(["Palermo", "edge1"], byMember.Select(r => (string)r.Member!).OrderBy(m => m, StringComparer.Ordinal).ToArray());

        var box = db.GeoSearch(P + "sicily", 15, 37, new GeoSearchBox(400, 400, GeoUnit.Kilometers), count: 2, order: Order.Descending);
        Assert.Equal(["edge1", "Palermo"], box.Select(r => (string)r.Member!).ToArray());
        var circle = db.GeoSearch(P + "sicily", "Catania", new GeoSearchCircle(200, GeoUnit.Kilometers), order: Order.Ascending);
        Assert.Equal(["Catania", "Palermo"], circle.Select(r => (string)r.Member!).ToArray());
        Assert.Equal(0, circle[0].Distance);

        Assert.Equal(2, db.GeoSearchAndStore(P + "sicily", P + "{sicily}dst", "Catania", new GeoSearchCircle(170, GeoUnit.Kilometers)));
        Assert.Equal(["Palermo", "Catania"], db.SortedSetRangeByRank(P + "{sicily}dst").Select(v => (string)v!).ToArray());
        Assert.Equal(2, db.GeoSearchAndStore(P + "sicily", P + "other", 15, 37, new GeoSearchCircle(200, GeoUnit.Kilometers),
            count: 2, order: Order.Ascending, storeDistances: true));
        Assert.Equal(56.441257870158204, db.SortedSetScore(P + "other", "Catania"));
        Assert.Equal(0, db.GeoSearchAndStore(P + "sicily", P + "other", 0, 0, new GeoSearchCircle(1, GeoUnit.Meters)));
        Assert.False(db.KeyExists(P + "other"));

        Assert.True(db.GeoRemove(P + "sicily", "edge1"));
        Assert.Equal(2, db.SortedSetLength(P + "sicily"));
        db.StringSet(P + "other", "text");
        Assert.Throws<RedisServerException>(() => db.GeoPosition(P + "other", "x"));
    }

    /// <summary>The same calls against redis-server give the same answers (the test's expectations are Redis's).</summary>
    [Fact]
    public void SameAnswersAsRedisServer()
    {
        string Describe(string endpoint)
        {
            using var mux = StackExchangeRedisTests.Connect(endpoint, new StringWriter());
            var db = mux.GetDatabase();
            Fill(db);
            var parts = new List<string>
            {
                db.GeoDistance(P + "sicily", "edge1", "Catania", GeoUnit.Feet)?.ToString("R") ?? "nil",
                string.Join(',', db.GeoHash(P + "sicily", ["edge1", "Palermo"])),
                db.GeoPosition(P + "sicily", "edge1")?.ToString() ?? "nil",
            };
            foreach (var r in db.GeoSearch(P + "sicily", 14, 38, new GeoSearchBox(300, 200, GeoUnit.Kilometers), count: 3, demandClosest: false))
                parts.Add($"{r.Member} {r.Distance:R} {r.Hash} {r.Position}");
            foreach (var r in db.GeoRadius(P + "sicily", "edge1", 500, GeoUnit.Miles, order: Order.Descending))
                parts.Add($"{r.Member} {r.Distance:R} {r.Hash} {r.Position}");
            return string.Join('\n', parts);
        }

        Assert.Equal(Describe($"127.0.0.1:{servers.Redis.Port}"), Describe($"127.0.0.1:{servers.Akka.Port}"));
    }
}
