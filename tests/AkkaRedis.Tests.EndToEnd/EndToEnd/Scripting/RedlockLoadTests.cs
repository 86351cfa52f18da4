using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd.Scripting;

/// <summary>
/// Issue 13: a Redlock-style lock run by 50 concurrent clients keeps its invariants, on redis-server (which proves the
/// test right) and on AkkaRedis.
///
/// Redlock's algorithm (redis.io "Distributed Locks with Redis", node-redlock, Redisson's RedissonRedLock) over three
/// "instances" that are three keys on three different shards of the 4-shard server: acquire is `SET key token NX PX
/// ttl` on every instance (pipelined), held on a majority (2 of 3); a client that got fewer releases EVERY instance,
/// even those it believes it did not lock, with the compare-and-delete script; the holder extends its instances with
/// the compare-and-pexpire script inside the critical section and releases them all after it. Scripts go as EVALSHA
/// after SCRIPT LOAD, falling back to EVAL on NOSCRIPT (the client that makes the middle acquisition SCRIPT FLUSHes,
/// so the fallback really runs). Three locks, clients spread over them.
///
/// Inside the section each client does a non-atomic read-modify-write of its lock's counter (GET, then SET value+1 in
/// another command) and INCR/DECRs a holders key around it. Invariants: every INCR of the holders key answers 1 (no
/// two holders at once), every extend of an instance the holder locked answers 1 (nobody took it), and each counter
/// equals the number of acquisitions of its lock exactly. A release that deletes without comparing breaks them (the
/// failed contenders' release-all deletes the holder's keys), which <see cref="ARunWithAReleaseThatDoesNotCompareFindsTwoHolders"/>
/// shows: the test can fail.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class RedlockLoadTests(E2EServers servers)
{
    /// <summary>The unlock of redis.io's distributed-lock page and of every Redlock library.</summary>
    private const string CompareAndDelete =
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    /// <summary>node-redlock's extend, Redisson's renewExpiration.</summary>
    private const string CompareAndExtend =
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

    /// <summary>The bug compare-and-delete exists to prevent: deleting whichever client's lock is there.</summary>
    private const string DeleteWithoutCompare = "return redis.call('del', KEYS[1])";

    private const int Clients = 50, Locks = 3, Instances = 3, Majority = Instances / 2 + 1, Shards = 4;
    // Far longer than any critical section under load: no lock runs out during a run, so every invariant is exact.
    private const int TtlMs = 60_000;

    private int Port(string server) => server == "redis-server" ? servers.Redis.Port : servers.Akka.Port;

    [Theory]
    [InlineData("redis-server")]
    [InlineData("akkaredis")]
    public void FiftyClientsNeverHoldALockTogetherAndCountExactly(string server)
    {
        const int perClient = 10;
        var run = new RedlockRun(Port(server), CompareAndDelete, stopAtFirstViolation: false);
        run.Execute(perClient);
        Assert.Empty(run.Violations);
        Assert.Equal(Clients * perClient, run.Acquisitions.Sum());
        for (var l = 0; l < Locks; l++)
            Assert.Equal(run.Acquisitions[l], run.Counter(l));
        Assert.True(run.FailedAttempts > 0, "no contention: no failed attempt released a held lock's instances");
        Assert.True(run.Fallbacks > 0, "the SCRIPT FLUSH in the middle of the run made no client fall back to EVAL");
        run.Cleanup();
    }

    /// <summary>The same run with a release script that deletes without comparing, against redis-server: the
    /// invariants above catch it (so a server that let two clients hold a lock would fail them too).</summary>
    [Fact]
    public void ARunWithAReleaseThatDoesNotCompareFindsTwoHolders()
    {
        var run = new RedlockRun(servers.Redis.Port, DeleteWithoutCompare, stopAtFirstViolation: true);
        run.Execute(perClient: 10);
        Assert.NotEmpty(run.Violations);
        run.Cleanup();
    }

    private sealed class RedlockRun
    {
        private readonly int _port;
        private readonly bool _stopAtFirstViolation;
        private readonly LibraryScript _release;
        private readonly LibraryScript _extend = new("extend", CompareAndExtend);
        private readonly string[][] _instances;  // [lock][instance]: keys on different shards
        private readonly string[] _counters, _holders;
        private readonly List<string> _violations = [];
        private int _total, _sections, _failedAttempts;
        private volatile bool _stop;

        public int[] Acquisitions { get; } = new int[Locks];
        public IReadOnlyList<string> Violations { get { lock (_violations) return [.. _violations]; } }
        /// <summary>Attempts that got no majority and released every instance, the holder's too (the compare
        /// kept those).</summary>
        public int FailedAttempts => Volatile.Read(ref _failedAttempts);
        public int Fallbacks => _release.Fallbacks + _extend.Fallbacks;

        public RedlockRun(int port, string releaseBody, bool stopAtFirstViolation)
        {
            _port = port;
            _stopAtFirstViolation = stopAtFirstViolation;
            _release = new LibraryScript("release", releaseBody);
            var run = Guid.NewGuid().ToString("N")[..8];
            var perShard = KeySlots.KeysPerShard($"redlock:{run}:", Shards, Locks);
            // Lock l's instance i on shard (l + i) mod 4: every lock spans three shards, the locks overlap.
            _instances = [.. Enumerable.Range(0, Locks).Select(l =>
                Enumerable.Range(0, Instances).Select(i => perShard[(l + i) % Shards][l]).ToArray())];
            _counters = [.. Enumerable.Range(0, Locks).Select(l => $"redlock:{run}:counter:{l}")];
            _holders = [.. Enumerable.Range(0, Locks).Select(l => $"redlock:{run}:holders:{l}")];
        }

        public void Execute(int perClient)
        {
            _total = Clients * perClient;
            using (var setup = RawRespClient.Connect(_port))
            {
                _release.Load(setup);
                _extend.Load(setup);
            }
            ClientThreads.Run(Clients, (c, failed) =>
            {
                using var client = RawRespClient.Connect(_port, TimeSpan.FromSeconds(60));
                var l = c % Locks;
                for (var n = 0; n < perClient && !_stop && !failed.IsCancellationRequested; n++)
                {
                    var token = $"{c}:{n}:{Guid.NewGuid():N}";
                    bool[] held;
                    while ((held = TryAcquire(client, l, token)).Count(h => h) < Majority)
                    {
                        // Redlock: a failed attempt unlocks every instance, even those it did not get.
                        Interlocked.Increment(ref _failedAttempts);
                        ReleaseAll(client, l, token);
                        if (_stop || failed.IsCancellationRequested) return;
                        Thread.Yield();
                    }
                    CriticalSection(client, l, token, held);
                    ReleaseAll(client, l, token);
                }
            }, TimeSpan.FromMinutes(2));
        }

        private bool[] TryAcquire(RawRespClient client, int l, string token)
        {
            foreach (var key in _instances[l]) client.SendCommand("SET", key, token, "NX", "PX", TtlMs.ToString());
            return [.. client.ReadReplies(Instances).Select(r => RespValue.Parse(r) is { Type: '+' } v && v.Text == "OK")];
        }

        private void ReleaseAll(RawRespClient client, int l, string token)
        {
            foreach (var key in _instances[l]) _release.Run(client, [key], token);
        }

        private void CriticalSection(RawRespClient client, int l, string token, bool[] held)
        {
            var holders = Integer(client.Call("INCR", _holders[l]));
            if (holders != 1) Violation($"lock {l}: {holders} holders at once");
            var value = RespValue.Parse(client.Call("GET", _counters[l]));
            var next = (value.IsNull ? 0 : long.Parse(value.Text)) + 1;
            if (Interlocked.Increment(ref _sections) == _total / 2)
            {
                // Drop the script cache in the middle of the run, as a restarted or failed-over server would: the
                // next EVALSHAs meet NOSCRIPT and fall back to EVAL.
                Assert.Equal("+OK\r\n", System.Text.Encoding.ASCII.GetString(client.Call("SCRIPT", "FLUSH")));
            }
            RespValue.Parse(client.Call("SET", _counters[l], next.ToString()));
            for (var i = 0; i < Instances; i++)
                if (held[i] && Integer(_extend.Run(client, [_instances[l][i]], token, TtlMs.ToString())) != 1)
                    Violation($"lock {l}: instance {_instances[l][i]} taken from its holder");
            Interlocked.Increment(ref Acquisitions[l]);
            if (Integer(client.Call("DECR", _holders[l])) < 0) Violation($"lock {l}: holders below zero");
        }

        private void Violation(string what)
        {
            lock (_violations) _violations.Add(what);
            if (_stopAtFirstViolation) _stop = true;
        }

        public long Counter(int l)
        {
            using var client = RawRespClient.Connect(_port);
            return long.Parse(RespValue.Parse(client.Call("GET", _counters[l])).Text);
        }

        public void Cleanup()
        {
            using var client = RawRespClient.Connect(_port);
            foreach (var key in _instances.SelectMany(k => k).Concat(_counters).Concat(_holders)) client.Call("DEL", key);
        }

        private static long Integer(byte[] reply) => Integer(RespValue.Parse(reply));

        private static long Integer(RespValue reply) =>
            reply.TryGetInteger(out var v) ? v : throw new InvalidOperationException($"not an integer: {reply}");
    }
}
