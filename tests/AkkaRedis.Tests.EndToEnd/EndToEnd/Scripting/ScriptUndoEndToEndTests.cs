using System.Diagnostics;
using AkkaRedis.Tests.EndToEnd.Differential;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd.Scripting;

/// <summary>
/// Issue 13, Redis standalone semantics on the first run too (Commands/Scripting/ScriptUndo): a script whose declared
/// keys live on one shard writes them, then writes undeclared keys of other shards. AkkaRedis (4 shards: a, b, c, d
/// fall on the four) runs it inline on its shard, undoes its writes when it reaches b, and runs it again holding
/// every shard. Against redis-server 7.0 side by side: the same replies, the same data afterwards, and the same write
/// effects (its replication stream against our DEBUG EFFECTS stream, as the effects differential tests compare them).
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Effects")]
public sealed class ScriptUndoDifferentialTests(E2EServers servers)
{
    private static readonly string[][] Lines =
    [
        ["SET", "a", "old a"],
        ["RPUSH", "{a}list", "1", "2"],
        ["HSET", "{a}hash", "f", "1"],
        ["SET", "{a}ttl", "t", "EX", "1000"],
        ["SET", "b", "old b"],
        // Written on a's shard (string, list, hash, an expire, a delete), then b and c (other shards) are written too.
        ["EVAL", """
            -- i13-undo first run
            redis.call('set', KEYS[1], 'new a')
            redis.call('rpush', KEYS[2], 'x')
            redis.call('hincrby', KEYS[3], 'f', 10)
            redis.call('del', KEYS[4])
            local old = redis.call('getset', 'b', 'from a')
            redis.call('incr', 'c')
            return {old, redis.call('get', KEYS[1]), redis.call('lrange', KEYS[2], 0, -1), redis.call('hget', KEYS[3], 'f')}
            """, "4", "a", "{a}list", "{a}hash", "{a}ttl"],
        ["GET", "a"], ["GET", "b"], ["GET", "c"], ["LRANGE", "{a}list", "0", "-1"], ["HGETALL", "{a}hash"], ["EXISTS", "{a}ttl"],
        // A pcall'd error and a created key before the undeclared key: the same reply once re-run.
        ["EVAL", """
            -- i13-undo pcall
            redis.call('set', KEYS[1], 'created')
            local e = redis.pcall('incr', KEYS[2])
            redis.call('set', 'd', 'far')
            return {e['err'], redis.call('get', 'd')}
            """, "2", "{a}new", "{a}hash"],
        ["GET", "{a}new"], ["GET", "d"],
        // A read-only reply after the undo: nothing of the first run shows.
        ["EVAL", "-- i13-undo counter\nlocal n = redis.call('incr', KEYS[1]); redis.call('incr', 'b2'); return n", "1", "a2"],
        ["GET", "a2"], ["GET", "b2"],
    ];

    [SkippableFact]
    public void FirstRunThatWritesThenReachesAnotherShardMatchesRedis()
    {
        using var diff = Start();
        Run(diff, Lines);
    }

    /// <summary>A key the first run's lookup expired (active expiry off, as the effects scripts do) is put back by the
    /// undo and expired again by the re-run: its DEL is propagated once, where redis-server propagates it.</summary>
    [SkippableFact]
    public void KeyExpiredByTheUndoneRunIsDeletedOnceMatchesRedis()
    {
        using var diff = Start();
        try
        {
            diff.Session.Setup("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            Run(diff, [["SET", "{a}e", "v", "PX", "1"]]);
            var clock = Stopwatch.StartNew();
            Assert.True(Poll.Until(() => clock.ElapsedMilliseconds >= 20, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1)));
            Run(diff, [
                ["EVAL", "-- i13-undo expiry\nlocal v = redis.call('get', KEYS[2]); redis.call('incr', KEYS[1]); redis.call('set', 'c', 'x'); return v", "2", "{a}n", "{a}e"],
                ["EXISTS", "{a}e"], ["GET", "{a}n"], ["GET", "c"],
            ]);
        }
        finally
        {
            EffectsDiff.OnBoth(servers, "DEBUG SET-ACTIVE-EXPIRE 1");
        }
    }

    private EffectsDiff Start()
    {
        using (var probe = servers.Akka.Connect())
        {
            var reply = probe.CallText("EVAL", "return 1", "0");
            Skip.IfNot(reply == ":1\\r\\n", $"the server cannot run Lua scripts here: EVAL replied {reply}");
        }
        return new EffectsDiff(servers, "script undo",
            "dotnet test tests/AkkaRedis.Tests.EndToEnd -c Release --no-build --filter \"FullyQualifiedName~ScriptUndoDifferentialTests\"");
    }

    /// <summary>Each line on both servers (replies compared), then their write effects compared.</summary>
    private static void Run(EffectsDiff diff, string[][] lines)
    {
        var n = 0;
        foreach (var line in lines)
        {
            n++;
            diff.Session.Run(DiffStep.Of(line), $"line {n}");
            diff.Check($"after line {n} ({line[0]})", [string.Join(' ', line)]);
        }
    }
}
