using System.Collections.Concurrent;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd.Scripting;

/// <summary>
/// Issue 13: a BullMQ-style job queue run by 50 concurrent clients (10 producers, 39 workers, 1 stalled-job checker)
/// keeps its invariants, on redis-server (which proves the test right) and on AkkaRedis.
///
/// The scripts have the shape of BullMQ's (addStandardJob, moveToActive, moveToFinished, moveStalledJobsToWait): the
/// queue's keys are declared, each job's hash and lock key are built inside the script from a prefix in ARGV, as
/// BullMQ builds them. Two variants: every key under one hash tag `{q...}` (one slot, as Redis Cluster requires
/// BullMQ's keys to be), and no hash tag at all, so that the declared keys and the job keys the scripts build lie on
/// different shards (Redis standalone's semantics: a script may touch any key).
///
/// A worker abandons every tenth job on its first attempt (it drops the job's lock, as a crashed worker's lock would
/// run out); the checker moves jobs in active without a lock back to wait, and another worker completes them.
/// Invariants: every job completed exactly once (by one worker's successful moveToFinished, once in the completed
/// set, counted once in the stats), with the data its producer gave it; nothing left in wait or active and no lock
/// left; the id counter, the events stream and the attempts equal what the clients did.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class BullQueueLoadTests(E2EServers servers)
{
    private static readonly string AddJob = """
        local jobId = redis.call('INCR', KEYS[1])
        local jobKey = ARGV[1] .. jobId
        redis.call('HSET', jobKey, 'data', ARGV[2], 'timestamp', ARGV[3], 'attemptsMade', 0)
        redis.call('LPUSH', KEYS[2], jobId)
        redis.call('XADD', KEYS[3], '*', 'event', 'added', 'jobId', jobId)
        return jobId
        """;

    /// <summary>RPOPLPUSH wait -> active, then <see cref="StartJob"/>; nil when wait is empty.</summary>
    private static readonly string MoveToActive = """
        local jobId = redis.call('RPOPLPUSH', KEYS[1], KEYS[2])
        if not jobId then return nil end

        """ + StartJob;

    /// <summary>The job's lock (SET PX), processedOn and attemptsMade; returns {id, data, attempts}.</summary>
    private const string StartJob = """
        local jobKey = ARGV[1] .. jobId
        redis.call('SET', jobKey .. ':lock', ARGV[2], 'PX', ARGV[3])
        redis.call('HSET', jobKey, 'processedOn', ARGV[4])
        local attempts = redis.call('HINCRBY', jobKey, 'attemptsMade', 1)
        return {jobId, redis.call('HGET', jobKey, 'data'), attempts}
        """;

    /// <summary>The broken variant's second half: <see cref="StartJob"/> of a job the client moved itself.</summary>
    private static readonly string StartPoppedJob = "local jobId = ARGV[5]\n" + StartJob;

    /// <summary>0 when completed; -2 when the worker's lock is gone, -3 when the job is not in active (BullMQ's codes).</summary>
    private static readonly string MoveToCompleted = """
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

    /// <summary>Jobs in active whose lock is gone go back to wait; returns their ids.</summary>
    private static readonly string MoveStalledJobsToWait = """
        local stalled = {}
        for _, jobId in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
          local jobKey = ARGV[1] .. jobId
          if redis.call('EXISTS', jobKey .. ':lock') == 0 then
            redis.call('LREM', KEYS[1], 1, jobId)
            redis.call('RPUSH', KEYS[2], jobId)
            redis.call('HINCRBY', KEYS[3], 'stalled', 1)
            redis.call('XADD', KEYS[4], '*', 'event', 'stalled', 'jobId', jobId)
            stalled[#stalled + 1] = jobId
          end
        end
        return stalled
        """;

    private const int Producers = 10, Workers = 39, JobsPerProducer = 100, Shards = 4;
    private const int Total = Producers * JobsPerProducer;
    private const string LockMs = "60000";  // never runs out during a run: only abandoned jobs stall

    [Theory]
    [InlineData("redis-server", true)]
    [InlineData("redis-server", false)]
    [InlineData("akkaredis", true)]
    [InlineData("akkaredis", false)]
    public void FiftyClientsCompleteEveryJobExactlyOnce(string server, bool hashTag)
    {
        // Without a hash tag the declared keys and the job keys the scripts build lie on different shards: the first
        // runs of addJob (INCR id, then HSET the job's hash) write, reach another shard, are undone (ScriptUndo) and run
        // again holding every shard, as Redis standalone runs them.
        RunQueue(server == "redis-server" ? servers.Redis.Port : servers.Akka.Port, hashTag, atomicTake: true);
    }

    /// <summary>The same run with a moveToActive that is not atomic (RPOPLPUSH from the client, then the rest as a
    /// script), against redis-server: the checker finds a job in active before its lock exists and hands it out again,
    /// which the invariants catch (so a server that ran a script's commands apart would fail them too). Repeated, up
    /// to five runs, until it is caught.</summary>
    [Fact]
    public void ARunWhoseMoveToActiveIsNotAtomicIsCaught()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                RunQueue(servers.Redis.Port, hashTag: true, atomicTake: false);
            }
            catch (Exception e) when (Violations(e).Any())
            {
                // A script that failed to run (InvalidOperationException from LibraryScript) is not a caught violation.
                Assert.DoesNotContain(Flatten(e), x => x is InvalidOperationException);
                return;
            }
        }
        Assert.Fail("five runs with a non-atomic moveToActive kept every invariant: the test cannot see a lost atomicity");
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException a ? a.InnerExceptions.SelectMany(Flatten) : [e];

    /// <summary>The invariants' failures in what a run threw (xunit's assertion exceptions).</summary>
    private static IEnumerable<Exception> Violations(Exception e) =>
        Flatten(e).Where(x => x is Xunit.Sdk.XunitException);

    private static void RunQueue(int port, bool hashTag, bool atomicTake)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var prefix = hashTag ? $"bull:{{q{run}}}:" : $"bull:q{run}:";
        string id = prefix + "id", wait = prefix + "wait", active = prefix + "active", completed = prefix + "completed",
            stats = prefix + "stats", events = prefix + "events";
        string[] queueKeys = [id, wait, active, completed, stats, events];
        var shards = queueKeys.Concat(Enumerable.Range(1, 20).Select(i => prefix + i)).Select(k => KeySlots.Shard(k, Shards)).Distinct().Count();
        Assert.True(hashTag ? shards == 1 : shards > 1, $"the keys lie on {shards} shards");

        var add = new LibraryScript("addJob", AddJob);
        var take = new LibraryScript("moveToActive", MoveToActive);
        var complete = new LibraryScript("moveToCompleted", MoveToCompleted);
        var checkStalled = new LibraryScript("moveStalledJobsToWait", MoveStalledJobsToWait);
        var startPopped = new LibraryScript("startJob", StartPoppedJob);
        using (var setup = RawRespClient.Connect(port))
            foreach (var s in new[] { add, take, complete, checkStalled, startPopped }) s.Load(setup);

        var given = new ConcurrentDictionary<long, string>();      // job id -> the data its producer gave it
        var seen = new ConcurrentDictionary<long, string>();       // job id -> the data a worker got
        var completedBy = new ConcurrentDictionary<long, int>();   // job id -> the worker whose completion succeeded
        int done = 0, abandoned = 0, movedBack = 0, takes = 0;

        try
        {
            ClientThreads.Run(Producers + Workers + 1, (c, failed) =>
            {
                using var client = RawRespClient.Connect(port, TimeSpan.FromSeconds(60));
                if (c < Producers)
                {
                    for (var i = 0; i < JobsPerProducer && !failed.IsCancellationRequested; i++)
                    {
                        var data = $"producer {c} job {i}";
                        var jobId = Integer(add.Run(client, [id, wait, events], prefix, data, Now()));
                        Assert.True(given.TryAdd(jobId, data), $"job id {jobId} given twice");
                    }
                }
                else if (c == Producers)
                {
                    // The stalled-job checker, until every job is completed.
                    while (Volatile.Read(ref done) < Total && !failed.IsCancellationRequested)
                    {
                        var moved = checkStalled.Run(client, [active, wait, stats, events], prefix).Items!.Count;
                        Interlocked.Add(ref movedBack, moved);
                        if (moved == 0) Thread.Yield();
                    }
                }
                else
                {
                    while (Volatile.Read(ref done) < Total && !failed.IsCancellationRequested)
                    {
                        var token = $"worker {c} {Guid.NewGuid():N}";
                        RespValue job;
                        if (atomicTake) job = take.Run(client, [wait, active], prefix, token, LockMs, Now());
                        else
                        {
                            job = RespValue.Parse(client.Call("RPOPLPUSH", wait, active));
                            if (!job.IsNull) job = startPopped.Run(client, [active], prefix, token, LockMs, Now(), job.Text);
                        }
                        if (job.IsNull)
                        {
                            Thread.Yield();
                            continue;
                        }
                        Interlocked.Increment(ref takes);
                        var jobId = long.Parse(job.Items![0].Text);
                        var attempts = Integer(job.Items[2]);
                        seen[jobId] = job.Items[1].Text;
                        if (attempts == 1 && jobId % 10 == 0)
                        {
                            // This worker "crashes": its lock runs out (here at once) and the checker must find the job.
                            Interlocked.Increment(ref abandoned);
                            client.Call("DEL", prefix + jobId + ":lock");
                            continue;
                        }
                        var result = Integer(complete.Run(client, [active, completed, stats, events], prefix, jobId.ToString(), token, Now(), "ok"));
                        Assert.True(result == 0, $"moveToCompleted of job {jobId} (attempt {attempts}) answered {result}");
                        Assert.True(completedBy.TryAdd(jobId, c), $"job {jobId} completed twice");
                        Interlocked.Increment(ref done);
                    }
                }
            }, TimeSpan.FromMinutes(2));

            Assert.Equal(Total, given.Count);
            Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), completedBy.Keys.Order());
            foreach (var (jobId, data) in given) Assert.Equal(data, seen[jobId]);
            Assert.Equal(Total / 10, abandoned);
            Assert.Equal(abandoned, movedBack);
            Assert.Equal(Total + abandoned, takes);

            using var check = RawRespClient.Connect(port);
            Assert.Equal(Total, Integer(check.Call("GET", id)));
            Assert.Equal(0, Integer(check.Call("LLEN", wait)));
            Assert.Equal(0, Integer(check.Call("LLEN", active)));
            Assert.Equal(Total, Integer(check.Call("ZCARD", completed)));
            Assert.Equal(Total, Integer(check.Call("HGET", stats, "completed")));
            Assert.Equal(abandoned, Integer(check.Call("HGET", stats, "stalled")));
            Assert.Equal(2 * Total + abandoned, Integer(check.Call("XLEN", events)));
            var attemptsMade = 0L;
            foreach (var jobId in given.Keys)
            {
                attemptsMade += Integer(check.Call("HGET", prefix + jobId, "attemptsMade"));
                Assert.Equal(0, Integer(check.Call("EXISTS", prefix + jobId + ":lock")));
            }
            Assert.Equal(takes, attemptsMade);
        }
        finally
        {
            using var cleanup = RawRespClient.Connect(port);
            var jobs = RespValue.Parse(cleanup.Call("GET", id)) is { IsNull: false } n ? long.Parse(n.Text) : 0;
            foreach (var key in queueKeys) cleanup.Call("DEL", key);
            for (var j = 1; j <= jobs; j++) cleanup.Call("DEL", prefix + j, prefix + j + ":lock");
        }
    }

    private static string Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString();

    private static long Integer(byte[] reply) => Integer(RespValue.Parse(reply));

    private static long Integer(RespValue reply) =>
        reply.TryGetInteger(out var v) ? v : throw new InvalidOperationException($"not an integer: {reply}");
}
