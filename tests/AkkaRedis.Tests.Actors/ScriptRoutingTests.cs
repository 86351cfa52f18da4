using System.Text;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Net.Resp;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>
/// Where scripts run (issue 13, Commands.Scripting.ScriptRun): inline on the shard of their declared keys, held by
/// the Transaction actor when they declare keys of several shards or none, and stopped for a re-run holding every
/// shard when they reach a key of a shard they do not hold (what they wrote is undone first: ScriptUndoTests; after a
/// change the undo journal cannot take back: Redis Cluster's error).
/// </summary>
public sealed class ScriptRoutingTests : ScriptTestBase
{

    [SkippableFact]
    public void ScriptWithKeysOfOneShardRunsInlineOnThatShard()
    {
        RequireLua();
        var a = KeyOn(0, "a");
        var batch = Send(0, Cmd("SET", a, "1"), Cmd("EVAL", "return redis.call('incr', KEYS[1])", "1", a), Cmd("GET", a));
        Assert.Equal(-1, batch.RerunAt);
        Assert.Equal(":2\r\n", Reply(batch, 1));
        Assert.Equal("$1\r\n2\r\n", Reply(batch, 2));
    }

    [SkippableFact]
    public void ShardStopsItsBatchAtAScriptThatReachesAnotherShardBeforeWriting()
    {
        RequireLua();
        var (a, a2, b) = (KeyOn(0, "a"), KeyOn(0, "x"), KeyOn(1, "b"));
        Send(0, Cmd("SET", a2, "old"));
        var batch = Send(0, Cmd("GET", a2), Cmd("EVAL", "return redis.call('get', ARGV[1])", "1", a, b), Cmd("SET", a2, "new"));
        Assert.Equal("$3\r\nold\r\n", Reply(batch, 0));
        Assert.Equal(1, batch.RerunAt);
        Assert.Equal(2, batch.Starts.Count);           // the SET after it was not run
        Assert.Equal(batch.Starts[1], batch.End);      // and the script wrote no reply
        Assert.Equal("$3\r\nold\r\n", RunOnShard(Cmd("GET", a2))[0]);
    }

    [SkippableFact]
    public void ScriptThatWroteGetsRedisClustersErrorForAnotherShardsKey()
    {
        RequireLua();
        var (a, b) = (KeyOn(0, "a"), KeyOn(1, "b"));
        // i13-undo: a change the undo journal cannot take back (a value over its copy limit).
        RunOnShard(Cmd("SET", a, new string('v', 200_000)));
        var batch = Send(0, Cmd("EVAL", "redis.call('append', KEYS[1], 'w'); return redis.pcall('get', ARGV[1])", "1", a, b));
        Assert.Equal(-1, batch.RerunAt);
        Assert.StartsWith("-ERR Script attempted to access a non local key in a cluster node", Reply(batch, 0));
        Assert.Equal(":200001\r\n", RunOnShard(Cmd("STRLEN", a))[0]);
    }

    [SkippableFact]
    public void TransactionActorRunsAScriptAgainHoldingEveryShard()
    {
        RequireLua();
        var (a, b, c) = (KeyOn(0, "a"), KeyOn(1, "b"), KeyOn(2, "c"));
        RunOnShard(Cmd("SET", c, "far"));
        // Declared keys on shards 0 and 1: held by the Transaction actor; c (shard 2) is not held at first.
        // It wrote b before reaching c: undone (i13-undo), then run again holding every shard.
        var reply = RunTransaction("EVAL", "redis.call('set', KEYS[2], 'x'); return redis.call('get', ARGV[1])", "2", a, b, c);
        Assert.Equal("$3\r\nfar\r\n", reply);
        Assert.Equal("$1\r\nx\r\n", RunOnShard(Cmd("GET", b))[0]);
        reply = RunTransaction("EVAL", "local v = redis.call('get', ARGV[1]); redis.call('set', KEYS[1], v); return v", "2", a, b, c);
        Assert.Equal("$3\r\nfar\r\n", reply);
        Assert.Equal("$3\r\nfar\r\n", RunOnShard(Cmd("GET", a))[0]);
    }

    [SkippableFact]
    public void ScriptWithoutKeysHoldsEveryShard()
    {
        RequireLua();
        var (a, b, c, d) = (KeyOn(0, "a"), KeyOn(1, "b"), KeyOn(2, "c"), KeyOn(3, "d"));
        Server.Keyspace.Transactions.Tell(TransactionFor(true, "EVAL",
            "for i, k in ipairs(ARGV) do redis.call('set', k, i) end return redis.call('mget', unpack(ARGV))", "0", a, b, c, d), TestActor);
        Assert.Equal("*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n", ReplyOf(ExpectMsg<TransactionRequest>()));
    }
}
