using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>Active expiry: keys with a TTL disappear without anyone reading them (DBSIZE and INFO keyspace do not read keys).</summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ExpiryTests(E2EServers servers)
{
    [Fact]
    public void KeySetWithEx1IsGoneWithinTwoSecondsWithoutBeingRead()
    {
        using var client = servers.Akka.Connect();
        Assert.Equal("+OK\\r\\n", client.CallText("SELECT", "9"));
        Assert.Equal("+OK\\r\\n", client.CallText("FLUSHDB"));
        var setAt = DateTime.UtcNow;
        Assert.Equal("+OK\\r\\n", client.CallText("SET", "expiring", "v", "EX", "1"));
        Assert.Equal(":1\\r\\n", client.CallText("DBSIZE"));
        Assert.Contains("db9:keys=1,expires=1,", client.CallText("INFO", "keyspace"));

        var gone = Poll.Until(() => client.CallText("DBSIZE") == ":0\\r\\n", setAt + TimeSpan.FromSeconds(2) - DateTime.UtcNow);
        Assert.True(gone, $"DBSIZE still {client.CallText("DBSIZE")} 2 s after SET expiring v EX 1 (active expiry did not remove it)");
        Assert.DoesNotContain("db9:", client.CallText("INFO", "keyspace"));
    }

    [Fact]
    public void ManyVolatileKeysAcrossShardsExpireWhilePersistentOnesStay()
    {
        using var client = servers.Akka.Connect(TimeSpan.FromSeconds(30));
        client.CallText("SELECT", "10");
        Assert.Equal("+OK\\r\\n", client.CallText("FLUSHDB"));
        var setAt = DateTime.UtcNow;
        var commands = new List<byte[][]>();
        for (var i = 0; i < 200; i++) commands.Add(Resp.Args("SET", "volatile:" + i, "v", "PX", "800"));
        for (var i = 0; i < 100; i++) commands.Add(Resp.Args("SET", "persistent:" + i, "v"));
        client.Send(Resp.EncodeMany(commands));
        Assert.All(client.ReadReplies(commands.Count), r => Assert.Equal("+OK\\r\\n", Resp.Escape(r)));

        var done = Poll.Until(() => client.CallText("DBSIZE") == ":100\\r\\n", setAt + TimeSpan.FromSeconds(3) - DateTime.UtcNow);
        Assert.True(done, $"DBSIZE is {client.CallText("DBSIZE")} 3 s after 200 keys with PX 800 and 100 without TTL were set (expected :100)");
        Assert.Contains("db10:keys=100,expires=0,", client.CallText("INFO", "keyspace"));
        client.CallText("FLUSHDB");
    }
}
