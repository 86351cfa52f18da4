using AkkaRedis.Tests.EndToEnd.Infrastructure;
using StackExchange.Redis;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>Blocking pops through StackExchange.Redis (which has no blocking API: they go through ExecuteAsync, each
/// waiting client on its own multiplexer so that a blocked connection stalls no one else): a BLPOP worker woken by a
/// push from another client, and the reliable-queue pattern with BLMOVE into a processing list.</summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Clients")]
public sealed class StackExchangeRedisBlockingTests(E2EServers servers)
{
    [Fact]
    public async Task BlockingPopAndReliableQueue()
    {
        var endpoint = $"127.0.0.1:{servers.Akka.Port}";
        using var producer = StackExchangeRedisTests.Connect(endpoint, new StringWriter());
        using var worker = StackExchangeRedisTests.Connect(endpoint, new StringWriter());
        var db = producer.GetDatabase();
        const string p = "se:block:";
        await db.KeyDeleteAsync([p + "jobs", p + "processing", p + "other"]);

        // A worker waits on two queues; a push on the second wakes it with that queue's name and the job.
        var waiting = worker.GetDatabase().ExecuteAsync("BLPOP", p + "jobs", p + "other", 10);
        Assert.True(Poll.Until(() => ClientsBlocked(db) == 1, TimeSpan.FromSeconds(10)));
        Assert.False(waiting.IsCompleted);
        await db.ListRightPushAsync(p + "other", "job-1");
        var popped = (RedisResult[])(await waiting)!;
        Assert.Equal([p + "other", "job-1"], popped.Select(r => (string)r!).ToArray());

        // A timeout answers a null array.
        var nothing = await worker.GetDatabase().ExecuteAsync("BLPOP", p + "jobs", 0.05);
        Assert.True(nothing.IsNull);

        // Reliable queue: BLMOVE moves the job into the processing list; acknowledging removes it there.
        var moving = worker.GetDatabase().ExecuteAsync("BLMOVE", p + "jobs", p + "processing", "RIGHT", "LEFT", 10);
        Assert.True(Poll.Until(() => ClientsBlocked(db) == 1, TimeSpan.FromSeconds(10)));
        await db.ListLeftPushAsync(p + "jobs", ["job-2", "job-3"]);
        Assert.Equal("job-2", (string?)await moving);
        Assert.Equal(["job-2"], (await db.ListRangeAsync(p + "processing")).Select(v => (string)v!).ToArray());
        Assert.Equal(1, await db.ListRemoveAsync(p + "processing", "job-2"));
        Assert.Equal(["job-3"], (await db.ListRangeAsync(p + "jobs")).Select(v => (string)v!).ToArray());

        // Sorted sets: BZPOPMIN answers key, member and score.
        var zpop = worker.GetDatabase().ExecuteAsync("BZPOPMIN", p + "z", 10);
        Assert.True(Poll.Until(() => ClientsBlocked(db) == 1, TimeSpan.FromSeconds(10)));
        await db.SortedSetAddAsync(p + "z", [new SortedSetEntry("low", 1), new SortedSetEntry("high", 2)]);
        Assert.Equal([p + "z", "low", "1"], ((RedisResult[])(await zpop)!).Select(r => (string)r!).ToArray());
    }

    private static long ClientsBlocked(IDatabase db)
    {
        var info = (string)db.Execute("INFO", "clients")!;
        var line = info.Split("\r\n").First(l => l.StartsWith("blocked_clients:", StringComparison.Ordinal));
        return long.Parse(line["blocked_clients:".Length..]);
    }
}
