using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// Sessions run a single-shard batch inline while its shard is idle, and through the shard's mailbox otherwise
/// (ShardRunner). Both paths, and the Transaction actor's holds, must stay mutually exclusive: many connections
/// appending to one key at pipeline 1 (APPEND copies the value: a wide window for a lost update) (some inline, some queued behind each other) while others hold that shard
/// with cross-shard writes lose no increment.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class InlineShardTests(E2EServers servers)
{
    [Fact]
    public async Task ConcurrentAppendsOnOneShardLoseNothingWhileTheShardIsHeldByCrossShardWrites()
    {
        const int appenders = 12, appends = 1500;
        var shards = KeySlots.KeysPerShard("inline:", 4, 2);
        var counter = shards[0][0];
        var sameShard = shards[0][1];
        var otherShard = shards[1][0];
        using (var setup = servers.Akka.Connect()) setup.CallText("DEL", counter);

        using var stop = new CancellationTokenSource();
        var holders = Enumerable.Range(0, 2).Select(h => Task.Run(() =>
        {
            using var client = servers.Akka.Connect(TimeSpan.FromSeconds(60));
            var rounds = 0;
            // Until the appenders are done, and at least a few times: MSET across shards 0 and 1 holds shard 0.
            while (!stop.IsCancellationRequested || rounds < 10)
            {
                Assert.Equal("+OK\\r\\n", client.CallText("MSET", sameShard, "h" + h, otherShard, "x"));
                rounds++;
            }
            return rounds;
        })).ToArray();
        var workers = Enumerable.Range(0, appenders).Select(_ => Task.Run(() =>
        {
            using var client = servers.Akka.Connect(TimeSpan.FromSeconds(60));
            for (var i = 0; i < appends; i++) Assert.StartsWith(":", client.CallText("APPEND", counter, "0123456789"));
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(3));
        stop.Cancel();
        var rounds = await Task.WhenAll(holders).WaitAsync(TimeSpan.FromMinutes(1));

        using var check = servers.Akka.Connect();
        Assert.Equal($":{appenders * appends * 10}\\r\\n", check.CallText("STRLEN", counter));
        Assert.All(rounds, r => Assert.True(r >= 10));
    }
}
