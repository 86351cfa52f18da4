using AkkaRedis.Tests.EndToEnd.Infrastructure;
using StackExchange.Redis;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>StackExchange.Redis's CreateTransaction with conditions (it sends WATCH, checks the conditions inside
/// MULTI ... EXEC and reports whether EXEC committed): both outcomes, keys on several shards.</summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Clients")]
public sealed class StackExchangeRedisTransactionTests(E2EServers servers)
{
    private ConnectionMultiplexer Connect() => StackExchangeRedisTests.Connect($"127.0.0.1:{servers.Akka.Port}", new StringWriter());

    [Fact]
    public void ConditionsThatHoldCommitAndTheWritesLand()
    {
        using var mux = Connect();
        var db = mux.GetDatabase();
        const string p = "se:tx:ok:";
        db.KeyDelete([p + "s", p + "h", p + "new", p + "l", p + "out1", p + "out2"]);
        db.StringSet(p + "s", "expected");
        db.HashSet(p + "h", "f", "v");
        db.ListRightPush(p + "l", ["x", "y"]);

        var tx = db.CreateTransaction();
        tx.AddCondition(Condition.StringEqual(p + "s", "expected"));
        tx.AddCondition(Condition.KeyNotExists(p + "new"));
        tx.AddCondition(Condition.HashEqual(p + "h", "f", "v"));
        tx.AddCondition(Condition.ListLengthEqual(p + "l", 2));
        var set = tx.StringSetAsync(p + "out1", "one");
        var incr = tx.StringIncrementAsync(p + "out2", 5);
        var created = tx.StringSetAsync(p + "new", "made", when: When.NotExists);
        Assert.True(tx.Execute());
        Assert.True(set.Result);
        Assert.Equal(5, incr.Result);
        Assert.True(created.Result);
        Assert.Equal("one", (string?)db.StringGet(p + "out1"));
        Assert.Equal("made", (string?)db.StringGet(p + "new"));
    }

    [Fact]
    public void AConditionThatFailsOrAWatchedKeyChangedByAnotherClientAbortsEverything()
    {
        using var mux = Connect();
        using var other = Connect();
        var db = mux.GetDatabase();
        const string p = "se:tx:fail:";
        db.KeyDelete([p + "s", p + "h", p + "out"]);
        db.StringSet(p + "s", "actual");
        db.HashSet(p + "h", "f", "v");

        var tx = db.CreateTransaction();
        tx.AddCondition(Condition.StringEqual(p + "s", "expected"));
        var write = tx.StringSetAsync(p + "out", "never");
        Assert.False(tx.Execute());
        Assert.True(write.IsCanceled);
        Assert.False(db.KeyExists(p + "out"));

        tx = db.CreateTransaction();
        tx.AddCondition(Condition.KeyNotExists(p + "s"));
        _ = tx.StringSetAsync(p + "out", "never");
        Assert.False(tx.Execute());

        tx = db.CreateTransaction();
        tx.AddCondition(Condition.HashEqual(p + "h", "f", "other"));
        _ = tx.HashSetAsync(p + "h", "f", "never");
        Assert.False(tx.Execute());
        Assert.Equal("v", (string?)db.HashGet(p + "h", "f"));
        Assert.False(db.KeyExists(p + "out"));
    }

    /// <summary>Optimistic locking the way applications write it: read, compute, commit only if nobody wrote meanwhile;
    /// several multiplexers racing on one counter end with every increment counted once.</summary>
    [Fact]
    public async Task OptimisticIncrementsFromRacingMultiplexersAllCount()
    {
        const string key = "se:tx:counter";
        using var setup = Connect();
        setup.GetDatabase().KeyDelete(key);
        var muxes = Enumerable.Range(0, 4).Select(_ => Connect()).ToArray();
        try
        {
            var workers = muxes.Select(m => Task.Run(async () =>
            {
                var db = m.GetDatabase();
                var failed = 0;
                for (var done = 0; done < 25;)
                {
                    var current = (long?)await db.StringGetAsync(key) ?? 0;
                    var tx = db.CreateTransaction();
                    tx.AddCondition(current == 0 ? Condition.KeyNotExists(key) : Condition.StringEqual(key, current));
                    _ = tx.StringSetAsync(key, current + 1);
                    if (await tx.ExecuteAsync()) done++;
                    else failed++;
                }
                return failed;
            })).ToArray();
            await Task.WhenAll(workers);
            Assert.Equal(100, (long)setup.GetDatabase().StringGet(key));
        }
        finally
        {
            foreach (var m in muxes) m.Dispose();
        }
    }
}
