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

/// <summary>
/// The load helper's BullMQ-style queue without a hash tag (its own copy, scripts renamed by a comment so that the
/// server meets them for the first time here): the declared keys and the job keys the scripts build lie on different
/// shards, so the first runs of addJob (INCR id, then HSET the job's hash) and the others write, reach another
/// shard, are undone and run again holding every shard, while 50 clients run them at once. Every job completed
/// exactly once, on redis-server (proving the test) and on AkkaRedis.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ScriptUndoQueueTests(E2EServers servers)
{
    private const string AddJob = """
        -- i13-undo addJob
        local jobId = redis.call('INCR', KEYS[1])
        local jobKey = ARGV[1] .. jobId
        redis.call('HSET', jobKey, 'data', ARGV[2], 'timestamp', ARGV[3], 'attemptsMade', 0)
        redis.call('LPUSH', KEYS[2], jobId)
        redis.call('XADD', KEYS[3], '*', 'event', 'added', 'jobId', jobId)
        return jobId
        """;

    private const string MoveToActive = """
        -- i13-undo moveToActive
        local jobId = redis.call('RPOPLPUSH', KEYS[1], KEYS[2])
        if not jobId then return nil end
        local jobKey = ARGV[1] .. jobId
        redis.call('SET', jobKey .. ':lock', ARGV[2], 'PX', ARGV[3])
        redis.call('HSET', jobKey, 'processedOn', ARGV[4])
        local attempts = redis.call('HINCRBY', jobKey, 'attemptsMade', 1)
        return {jobId, redis.call('HGET', jobKey, 'data'), attempts}
        """;

    private const string MoveToCompleted = """
        -- i13-undo moveToCompleted
        local jobKey = ARGV[1] .. ARGV[2]
        local lockKey = jobKey .. ':lock'
        if redis.call('GET', lockKey) ~= ARGV[3] then return -2 end
        if redis.call('LREM', KEYS[1], -1, ARGV[2]) == 0 then return -3 end
        redis.call('DEL', lockKey)
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
        redis.call('HSET', jobKey, 'finishedOn', ARGV[4], 'returnvalue', ARGV[5])
        redis.call('HINCRBY', KEYS[3], 'completed', 1)
        redis.call('XADD', KEYS[4], '*', 'event', 'completed', 'jobId', ARGV[2])
        return 0
        """;

    private const int Producers = 10, Workers = 40, JobsPerProducer = 50;
    private const int Total = Producers * JobsPerProducer;

    [SkippableTheory]
    [InlineData("redis-server")]
    [InlineData("akkaredis")]
    public void FiftyClientsWithoutHashTagCompleteEveryJobExactlyOnce(string server)
    {
        var port = server == "redis-server" ? servers.Redis.Port : servers.Akka.Port;
        using (var probe = RawRespClient.Connect(port))
        {
            var reply = probe.CallText("EVAL", "return 1", "0");
            Skip.IfNot(reply == ":1\\r\\n", $"the server cannot run Lua scripts here: EVAL replied {reply}");
        }
        var run = Guid.NewGuid().ToString("N")[..8];
        var prefix = $"bull:u{run}:";
        string id = prefix + "id", wait = prefix + "wait", active = prefix + "active", completed = prefix + "completed",
            stats = prefix + "stats", events = prefix + "events";
        string[] queueKeys = [id, wait, active, completed, stats, events];
        Assert.True(queueKeys.Concat(Enumerable.Range(1, 20).Select(i => prefix + i)).Select(k => KeySlots.Shard(k, 4)).Distinct().Count() > 1);

        var given = new System.Collections.Concurrent.ConcurrentDictionary<long, string>();
        var completedBy = new System.Collections.Concurrent.ConcurrentDictionary<long, int>();
        var done = 0;
        var errors = new List<Exception>();
        using var failed = new CancellationTokenSource();
        var threads = Enumerable.Range(0, Producers + Workers).Select(c => new Thread(() =>
        {
            try
            {
                using var client = RawRespClient.Connect(port, TimeSpan.FromSeconds(60));
                if (c < Producers)
                {
                    for (var i = 0; i < JobsPerProducer && !failed.IsCancellationRequested; i++)
                    {
                        var data = $"producer {c} job {i}";
                        var jobId = Integer(Eval(client, AddJob, [id, wait, events], prefix, data, Now()));
                        Assert.True(given.TryAdd(jobId, data), $"job id {jobId} given twice");
                    }
                    return;
                }
                while (Volatile.Read(ref done) < Total && !failed.IsCancellationRequested)
                {
                    var token = $"worker {c} {Guid.NewGuid():N}";
                    var job = Eval(client, MoveToActive, [wait, active], prefix, token, "60000", Now());
                    if (job.IsNull)
                    {
                        Thread.Yield();
                        continue;
                    }
                    var jobId = long.Parse(job.Items![0].Text);
                    Assert.Equal(1, Integer(job.Items[2]));
                    var result = Integer(Eval(client, MoveToCompleted, [active, completed, stats, events], prefix, jobId.ToString(), token, Now(), "ok"));
                    Assert.True(result == 0, $"moveToCompleted of job {jobId} answered {result}");
                    Assert.True(completedBy.TryAdd(jobId, c), $"job {jobId} completed twice");
                    Interlocked.Increment(ref done);
                }
            }
            catch (Exception e)
            {
                lock (errors) errors.Add(e);
                failed.Cancel();
            }
        }) { IsBackground = true }).ToList();
        try
        {
            threads.ForEach(t => t.Start());
            var clock = Stopwatch.StartNew();
            foreach (var t in threads)
                Assert.True(t.Join(TimeSpan.FromMinutes(2) - clock.Elapsed is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero),
                    "a client did not finish within 2 minutes");
            if (errors.Count > 0) throw new AggregateException(errors);

            Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), given.Keys.Order());
            Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), completedBy.Keys.Order());
            using var check = RawRespClient.Connect(port);
            Assert.Equal(Total, Integer(RespValue.Parse(check.Call("GET", id))));
            Assert.Equal(0, Integer(RespValue.Parse(check.Call("LLEN", wait))));
            Assert.Equal(0, Integer(RespValue.Parse(check.Call("LLEN", active))));
            Assert.Equal(Total, Integer(RespValue.Parse(check.Call("ZCARD", completed))));
            Assert.Equal(Total, Integer(RespValue.Parse(check.Call("HGET", stats, "completed"))));
            Assert.Equal(2 * Total, Integer(RespValue.Parse(check.Call("XLEN", events))));
            foreach (var (jobId, data) in given)
            {
                Assert.Equal(data, RespValue.Parse(check.Call("HGET", prefix + jobId, "data")).Text);
                Assert.Equal(1, Integer(RespValue.Parse(check.Call("HGET", prefix + jobId, "attemptsMade"))));
                Assert.Equal(0, Integer(RespValue.Parse(check.Call("EXISTS", prefix + jobId + ":lock"))));
            }
        }
        finally
        {
            failed.Cancel();
            using var cleanup = RawRespClient.Connect(port);
            var jobs = RespValue.Parse(cleanup.Call("GET", id)) is { IsNull: false } n ? long.Parse(n.Text) : 0;
            foreach (var key in queueKeys) cleanup.Call("DEL", key);
            for (var j = 1; j <= jobs; j++) cleanup.Call("DEL", prefix + j, prefix + j + ":lock");
        }
    }

    /// <summary>EVAL (the body each time: the server's cache and routing see the same script); an error throws.</summary>
    private static RespValue Eval(RawRespClient client, string body, string[] keys, params string[] args)
    {
        var reply = RespValue.Parse(client.Call(["EVAL", body, keys.Length.ToString(), .. keys, .. args]));
        if (reply.IsError) throw new InvalidOperationException($"{body.Split('\n')[0]}: {reply}");
        return reply;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString();

    private static long Integer(RespValue reply) =>
        reply.TryGetInteger(out var v) ? v : throw new InvalidOperationException($"not an integer: {reply}");
}
