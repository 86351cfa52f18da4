using System.Text;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Net.Resp;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>
/// Where scripts run (issue 13, Commands.Scripting.ScriptRun): inline on the shard of their declared keys, held by
/// the Transaction actor when they declare keys of several shards or none, and stopped for a re-run holding every
/// shard when they reach a key of a shard they do not hold before writing (after a write: Redis Cluster's error).
/// </summary>
public sealed class ScriptRoutingTests : KeyspaceTestBase
{
    private int Shards => Server.Keyspace.Shards.Length;

    private string KeyOn(int shard, string prefix)
    {
        for (var i = 0; ; i++)
        {
            var key = prefix + i;
            if (HashSlot.ShardOf(Encoding.UTF8.GetBytes(key), Shards) == shard) return key;
        }
    }

    private static void RequireLua() => Skip.IfNot(LuaVm.Available, "liblua5.1 cannot be loaded here: " + LuaVm.UnavailableReason);

    /// <summary>Sends the commands as one batch to <paramref name="shard"/>, as a session does.</summary>
    private ShardBatch Send(int shard, params byte[][][] commands)
    {
        var batch = new ShardBatch { ShardIndex = shard };
        foreach (var c in commands)
        {
            var def = Server.Commands.Resolve(c, out var error) ?? throw new InvalidOperationException(error);
            batch.Add(c, def, batch.Commands.Count);
        }
        Server.Keyspace.Shards[shard].Tell(batch, TestActor);
        return ExpectMsg<ShardBatch>();
    }

    private static string Reply(ShardBatch batch, int index)
    {
        var end = index + 1 < batch.Starts.Count ? batch.Starts[index + 1] : batch.End;
        return Encoding.UTF8.GetString(batch.Writer.Buffer, batch.Starts[index], end - batch.Starts[index]);
    }

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
        var batch = Send(0, Cmd("EVAL", "redis.call('set', KEYS[1], 'w'); return redis.pcall('get', ARGV[1])", "1", a, b));
        Assert.Equal(-1, batch.RerunAt);
        Assert.StartsWith("-ERR Script attempted to access a non local key in a cluster node", Reply(batch, 0));
        Assert.Equal("$1\r\nw\r\n", RunOnShard(Cmd("GET", a))[0]);
    }

    [SkippableFact]
    public void TransactionActorRunsAScriptAgainHoldingEveryShard()
    {
        RequireLua();
        var (a, b, c) = (KeyOn(0, "a"), KeyOn(1, "b"), KeyOn(2, "c"));
        RunOnShard(Cmd("SET", c, "far"));
        // Declared keys on shards 0 and 1: held by the Transaction actor; c (shard 2) is not held at first.
        var reply = RunTransaction("EVAL", "redis.call('set', KEYS[2], 'x'); return redis.call('get', ARGV[1])", "2", a, b, c);
        Assert.StartsWith("-ERR Script attempted", reply); // it wrote b before reaching c
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
