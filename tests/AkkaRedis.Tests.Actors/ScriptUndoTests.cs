using System.Diagnostics;
using System.Text;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Net.Resp;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>
/// The undo journal of scripts run inline on a shard (issue 13, Commands.Scripting.ScriptUndo): a script that wrote
/// and then reaches an undeclared key of another shard is stopped, every key it changed is put back exactly (value,
/// encoding, TTL; keys it created removed, keys it deleted restored), its write effects dropped, and the shard's batch
/// stops there for the re-run holding every shard, which then produces the one outcome (and the one set of effects).
/// What the journal cannot take back (a value too big to copy, a PUBLISH) leaves Redis Cluster's error.
/// </summary>
public sealed class ScriptUndoTests : ScriptTestBase
{
    /// <summary>Everything a key is: its serialized value (type, encoding-independent content), its encoding and
    /// its absolute expiry.</summary>
    private string State(string key)
    {
        var replies = RunOnShard(Cmd("DUMP", key), Cmd("OBJECT", "ENCODING", key), Cmd("PEXPIRETIME", key));
        return string.Join(" | ", replies);
    }

    public static TheoryData<string, string[][], string> Types => new()
    {
        // type, setup (after which a TTL is set), the script's changes to KEYS[1]
        { "embstr", [["SET", "{k}", "hello"]], "redis.call('append', KEYS[1], 'xyz')" },
        { "int", [["SET", "{k}", "42"]], "redis.call('incr', KEYS[1]); redis.call('incrby', KEYS[1], 100)" },
        { "raw with room", [["SET", "{k}", new string('r', 50)], ["APPEND", "{k}", "yy"]], "redis.call('setrange', KEYS[1], 0, 'zz'); redis.call('append', KEYS[1], 'q')" },
        { "string overwritten in place", [["SET", "{k}", "abcdefgh"]], "redis.call('set', KEYS[1], 'ABCDEFGH', 'KEEPTTL')" },
        { "list", [["RPUSH", "{k}", "1", "2", "3"]], "redis.call('lpop', KEYS[1]); redis.call('rpush', KEYS[1], 'x', 'y'); redis.call('lset', KEYS[1], 0, 'z')" },
        { "hash listpack", [["HSET", "{k}", "f", "v", "g", "w"]], "redis.call('hset', KEYS[1], 'f', 'changed'); redis.call('hdel', KEYS[1], 'g')" },
        { "hash table", [["HSET", "{k}", .. Enumerable.Range(0, 200).SelectMany(i => new[] { "f" + i, "v" + i })]], "redis.call('hset', KEYS[1], 'f0', 'changed'); redis.call('hdel', KEYS[1], 'f1')" },
        { "intset", [["SADD", "{k}", "1", "2", "3"]], "redis.call('sadd', KEYS[1], 'x'); redis.call('srem', KEYS[1], '1')" },
        { "zset", [["ZADD", "{k}", "1", "x", "2", "y"]], "redis.call('zincrby', KEYS[1], 5, 'x'); redis.call('zadd', KEYS[1], 9, 'z')" },
        { "stream with a group", [["XADD", "{k}", "1-1", "f", "v"], ["XGROUP", "CREATE", "{k}", "g", "0"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "{k}", ">"]],
            "redis.call('xadd', KEYS[1], '*', 'f', 'w'); redis.call('xack', KEYS[1], 'g', '1-1'); redis.call('xreadgroup', 'GROUP', 'g', 'd', 'STREAMS', KEYS[1], '>')" },
        { "hyperloglog", [["PFADD", "{k}", "a", "b"]], "redis.call('pfadd', KEYS[1], 'c', 'd'); redis.call('pfcount', KEYS[1])" },
        { "deleted", [["SET", "{k}", "gone soon"]], "redis.call('del', KEYS[1])" },
        { "type changed", [["RPUSH", "{k}", "1"]], "redis.call('del', KEYS[1]); redis.call('set', KEYS[1], 'now a string')" },
        { "ttl changed", [["SET", "{k}", "v"]], "redis.call('pexpire', KEYS[1], 5); redis.call('persist', KEYS[1]); redis.call('expire', KEYS[1], 7)" },
    };

    [SkippableTheory, MemberData(nameof(Types))]
    public void EveryChangeIsUndoneExactlyAndTheRerunWritesOnce(string type, string[][] setup, string changes)
    {
        RequireLua();
        _ = type;
        var (k, created, far) = (KeyOn(0, "k"), KeyOn(0, "new"), KeyOn(1, "far"));
        foreach (var command in setup) Send(0, Cmd(command.Select(a => a == "{k}" ? k : a).ToArray()));
        RunOnShard(Cmd("PEXPIRE", k, "100000000"));
        RunOnShard(Cmd("SET", far, "far value"));
        var before = State(k);
        TakeEffects();

        var script = changes + "; redis.call('set', KEYS[2], 'created'); return redis.call('get', ARGV[1])";
        var batch = Send(0, Cmd("EVAL", script, "2", k, created, far), Cmd("SET", created, "after"));
        Assert.True(batch.RerunAt == 0, "not stopped for the re-run holding every shard: " + (batch.RerunAt < 0 ? Reply(batch, 0) : ""));
        Assert.Equal(batch.Starts[0], batch.End);      // no reply, nothing after it ran
        Assert.Empty(TakeEffects());                   // nothing propagated
        Assert.Equal(before, State(k));
        Assert.Equal(":0\r\n", RunOnShard(Cmd("EXISTS", created))[0]);

        // The re-run (as the session sends it): the outcome and its effects, once.
        Server.Keyspace.Transactions.Tell(TransactionFor(true, "EVAL", script, "2", k, created, far), TestActor);
        Assert.Equal("$9\r\nfar value\r\n", ReplyOf(ExpectMsg<TransactionRequest>()));
        var effects = TakeEffects();
        Assert.Equal("MULTI", effects[0]);
        Assert.Equal("EXEC", effects[^1]);
        Assert.Single(effects, e => e == $"set {created} created");
        Assert.Equal("$7\r\ncreated\r\n", RunOnShard(Cmd("GET", created))[0]);
    }

    /// <summary>A key its lookup expires is put back too (expired): the re-run's lookup deletes it again, so its DEL is
    /// propagated once, in the re-run's effects.</summary>
    [SkippableFact]
    public void KeysExpiredByTheUndoneRunAreExpiredAgainByTheRerun()
    {
        RequireLua();
        Server.Config.ActiveExpireEnabled = false;
        var (k, expiring, far) = (KeyOn(0, "k"), KeyOn(0, "exp"), KeyOn(1, "far"));
        RunOnShard(Cmd("SET", expiring, "v", "PX", "1"));
        var clock = Stopwatch.StartNew();
        Assert.True(SpinWait.SpinUntil(() => clock.ElapsedMilliseconds > 5, TimeSpan.FromSeconds(5)));
        TakeEffects();

        const string script = "redis.call('get', KEYS[2]); redis.call('set', KEYS[1], 'w'); return redis.call('get', ARGV[1])";
        var batch = Send(0, Cmd("EVAL", script, "2", k, expiring, far));
        Assert.Equal(0, batch.RerunAt);
        Assert.Empty(TakeEffects());

        Server.Keyspace.Transactions.Tell(TransactionFor(true, "EVAL", script, "2", k, expiring, far), TestActor);
        Assert.Equal("$-1\r\n", ReplyOf(ExpectMsg<TransactionRequest>()));
        Assert.Equal(["MULTI", $"DEL {expiring}", $"set {k} w", "EXEC"], TakeEffects());
        Assert.Equal(":0\r\n", RunOnShard(Cmd("EXISTS", expiring))[0]);
    }

    /// <summary>What the script wrote in another database (SELECT inside a script, 7.0: for the script only) is
    /// undone in that database.</summary>
    [SkippableFact]
    public void WritesInAnotherDatabaseAreUndoneThere()
    {
        RequireLua();
        var (k, far) = (KeyOn(0, "k"), KeyOn(1, "far"));
        const string script = "redis.call('select', 3); redis.call('set', KEYS[1], 'in 3'); redis.call('select', 0); return redis.call('get', ARGV[1])";
        var batch = Send(0, Cmd("EVAL", script, "1", k, far));
        Assert.Equal(0, batch.RerunAt);
        Assert.Empty(TakeEffects());
        const string probe = "redis.call('select', 3); return redis.call('exists', KEYS[1])";
        Assert.Equal(":0\r\n", Reply(Send(0, Cmd("EVAL", probe, "1", k)), 0));

        Server.Keyspace.Transactions.Tell(TransactionFor(true, "EVAL", script, "1", k, far), TestActor);
        Assert.Equal("$-1\r\n", ReplyOf(ExpectMsg<TransactionRequest>()));
        Assert.Equal(":1\r\n", Reply(Send(0, Cmd("EVAL", probe, "1", k)), 0));
    }

    /// <summary>A value over the journal's limit is not copied: a script that changed one and then reaches another
    /// shard gets Redis Cluster's error there, and its change stays (as in Redis Cluster).</summary>
    [SkippableFact]
    public void AChangeTooBigToUndoLeavesRedisClustersError()
    {
        RequireLua();
        var (k, far) = (KeyOn(0, "big"), KeyOn(1, "far"));
        RunOnShard(Cmd("SET", k, new string('x', 200_000)));
        var batch = Send(0, Cmd("EVAL", "redis.call('append', KEYS[1], 'y'); return redis.pcall('get', ARGV[1])", "1", k, far));
        Assert.Equal(-1, batch.RerunAt);
        Assert.StartsWith("-ERR Script attempted to access a non local key in a cluster node", Reply(batch, 0));
        Assert.Equal(":200001\r\n", RunOnShard(Cmd("STRLEN", k))[0]);
    }

    /// <summary>A PUBLISH cannot be taken back from its subscribers: even a script that wrote nothing is not run again
    /// after it (the message would be delivered twice); it gets Redis Cluster's error.</summary>
    [SkippableFact]
    public void APublishLeavesRedisClustersError()
    {
        RequireLua();
        var (k, far) = (KeyOn(0, "k"), KeyOn(1, "far"));
        var batch = Send(0, Cmd("EVAL", "redis.call('publish', 'ch', 'm'); return redis.pcall('get', ARGV[1])", "1", k, far));
        Assert.Equal(-1, batch.RerunAt);
        Assert.StartsWith("-ERR Script attempted to access a non local key in a cluster node", Reply(batch, 0));
    }

    /// <summary>With keyspace notifications on, a write's events are published as it runs: no undo either.</summary>
    [SkippableFact]
    public void KeyspaceNotificationsLeaveRedisClustersError()
    {
        RequireLua();
        Server.Config.Set("notify-keyspace-events", "KEA");
        var (k, far) = (KeyOn(0, "k"), KeyOn(1, "far"));
        var batch = Send(0, Cmd("EVAL", "redis.call('set', KEYS[1], 'w'); return redis.pcall('get', ARGV[1])", "1", k, far));
        Assert.Equal(-1, batch.RerunAt);
        Assert.StartsWith("-ERR Script attempted to access a non local key in a cluster node", Reply(batch, 0));
        Assert.Equal("$1\r\nw\r\n", RunOnShard(Cmd("GET", k))[0]);
    }
}
