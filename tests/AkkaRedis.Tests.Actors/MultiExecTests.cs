using Akka.TestKit;
using System.Text;
using Akka.Actor;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>
/// EXEC at the actor level: the Transaction actor handing held shards over to the requester (the session's way for
/// cross-shard EXEC), single-shard EXEC in one shard turn, and the shards' per-key watch tables.
/// </summary>
public sealed class MultiExecTests : KeyspaceTestBase
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

    private MultiQueue Queue(params string[][] commands)
    {
        var queue = new MultiQueue();
        foreach (var c in commands)
        {
            CommandArgs args = Cmd(c);
            queue.Add(Server.Commands.Resolve(args, out var error) ?? throw new InvalidOperationException(error), args);
        }
        return queue;
    }

    /// <summary>Plays a session: asks for the shards, runs the queue against the handed-over view, releases them and
    /// tells <paramref name="report"/> the EXEC reply.</summary>
    private sealed class FakeSession(MultiQueue queue, IActorRef transactions, IActorRef report, List<int> shards) : UntypedActor
    {
        private readonly RespWriter _writer = new();

        protected override void PreStart()
        {
            var request = new TransactionRequest { HandOver = true, Args = Cmd("EXEC") };
            request.Shards.AddRange(shards);
            transactions.Tell(request);
        }

        protected override void OnReceive(object message)
        {
            if (message is not ShardsHeld held)
            {
                Unhandled(message);
                return;
            }
            if (MultiExec.Begin(held.Context, null, [], _writer, queue.Count, out var effectsStart))
            {
                for (var i = 0; i < queue.Count; i++) CommandRunner.Run(held.Context, queue.Defs[i], queue.Args[i], _writer, 0);
                MultiExec.End(held.Context, effectsStart);
            }
            Sender.Tell(new ReleaseShards(held.Request, held.TransactionId));
            report.Tell(Encoding.UTF8.GetString(_writer.Written));
            Context.Stop(Self);
        }
    }

    [Fact]
    public void Hundred_concurrent_cross_shard_execs_with_single_shard_execs_mixed_in_never_deadlock_and_are_atomic()
    {
        var keys = Enumerable.Range(0, Shards).Select(s => KeyOn(s, "counter")).ToArray();
        var all = Enumerable.Range(0, Shards).ToList();
        var probe = CreateTestProbe();
        // Each cross-shard EXEC increments the counter on every shard, then reads them all: inside one EXEC they must be
        // equal (nobody saw, or made, half of another EXEC).
        var body = keys.Select(k => new[] { "INCR", k }).Append(["MGET", .. keys]).ToArray();
        var solo = KeyOn(0, "solo");
        var singles = new List<ExecRequest>();
        for (var i = 0; i < 100; i++)
        {
            Sys.ActorOf(Props.Create(() => new FakeSession(Queue(body), Server.Keyspace.Transactions, probe.Ref, all)));
            // A single-shard EXEC on shard 0 between them, through the shard's mailbox (no Transaction actor).
            var single = new ExecRequest { Queue = Queue(["INCR", solo], ["GET", keys[0]]), Watched = [] };
            singles.Add(single);
            Server.Keyspace.Shards[0].Tell(single, probe.Ref);
        }
        var execReplies = new List<string>();
        var singleReplies = 0;
        for (var i = 0; i < 200; i++)
        {
            var reply = probe.ExpectMsg<object>(TimeSpan.FromSeconds(30));
            if (reply is string text) execReplies.Add(text);
            else singleReplies++;
        }
        Assert.Equal(100, singleReplies);
        var seen = new HashSet<long>();
        foreach (var reply in execReplies)
        {
            // *5 :n :n :n :n *4 $..n $..n ...
            var lines = reply.Split("\r\n");
            var increments = lines.Skip(1).Take(Shards).Select(l => long.Parse(l[1..])).ToArray();
            Assert.All(increments, n => Assert.Equal(increments[0], n));
            var read = lines.Skip(1 + Shards + 1).Where((_, j) => j % 2 == 1).Take(Shards).Select(long.Parse).ToArray();
            Assert.All(read, n => Assert.Equal(increments[0], n));
            Assert.True(seen.Add(increments[0]), "two EXECs saw the same counter");
        }
        Assert.Equal(Enumerable.Range(1, 100).Select(n => (long)n).ToHashSet(), seen);
        Assert.Equal(["$3\r\n100\r\n"], RunOnShard(Cmd("GET", solo)));
    }

    [Fact]
    public void Hundred_cross_shard_execs_mixed_with_blocking_requests_on_every_shard_never_deadlock_and_serve_each_element_once()
    {
        var keys = Enumerable.Range(0, Shards).Select(s => KeyOn(s, "queue")).ToArray();
        var all = Enumerable.Range(0, Shards).ToList();
        var probe = CreateTestProbe();
        var waiters = new List<TestProbe>();
        for (var i = 0; i < 100; i++)
        {
            // Each EXEC pushes one element onto the queue of every shard: 400 elements in all.
            var body = keys.Select(k => new[] { "RPUSH", k, $"e{i}-{k}" }).ToArray();
            Sys.ActorOf(Props.Create(() => new FakeSession(Queue(body), Server.Keyspace.Transactions, probe.Ref, all)));
            // A blocking request on the keys of every shard between them: its first attempt holds every shard through the
            // Transaction actor too, then it waits on all four shards until one key serves it.
            if (i % 2 == 0)
            {
                var waiter = CreateTestProbe();
                waiters.Add(waiter);
                Block(waiter, ["BLPOP", .. keys, "0"]);
            }
        }
        for (var i = 0; i < 100; i++) probe.ExpectMsg<string>(TimeSpan.FromSeconds(30));
        var served = new List<string>();
        foreach (var waiter in waiters)
        {
            var reply = waiter.ExpectMsg<BlockedRequest>(TimeSpan.FromSeconds(30));
            var text = Encoding.UTF8.GetString(reply.Writer.Buffer, reply.ReplyStart, reply.ReplyEnd - reply.ReplyStart);
            served.Add(text.Split("\r\n")[4]); // *2 $k key $v value
        }
        Assert.Equal(waiters.Count, served.Distinct().Count());
        var left = keys.Sum(k => long.Parse(RunOnShard(Cmd("LLEN", k))[0].Trim(':', '\r', '\n')));
        Assert.Equal(400 - waiters.Count, left);
    }

    private string Exec(int shard, MultiQueue queue, Watcher? watcher, List<WatchRef> watched)
    {
        var request = new ExecRequest { Queue = queue, Watcher = watcher, Watched = watched };
        Server.Keyspace.Shards[shard].Tell(request, TestActor);
        var reply = ExpectMsg<ExecRequest>();
        return Encoding.UTF8.GetString(reply.Writer.Buffer, reply.ReplyStart, reply.ReplyEnd - reply.ReplyStart);
    }

    /// <summary>WATCH as the session sends it: a batch whose client label carries the watcher.</summary>
    private (Watcher, List<WatchRef>) Watch(string key)
    {
        var watcher = new Watcher();
        var label = new ClientLabel("test") { Watch = watcher };
        var shard = HashSlot.ShardOf(Encoding.UTF8.GetBytes(key), Shards);
        var batch = new ShardBatch { ShardIndex = shard, Client = label };
        CommandArgs args = Cmd("WATCH", key);
        batch.Add(args, Server.Commands.Resolve(args, out _)!, 0);
        Server.Keyspace.Shards[shard].Tell(batch, TestActor);
        ExpectMsg<ShardBatch>();
        return (watcher, [new WatchRef(0, Encoding.UTF8.GetBytes(key))]);
    }

    private WatchTable? TableOf(string key) =>
        Server.Keyspace.ShardData[HashSlot.ShardOf(Encoding.UTF8.GetBytes(key), Shards)].Databases[0].Watched;

    [Fact]
    public void A_write_to_a_watched_key_aborts_the_exec_and_the_exec_unwatches()
    {
        var key = KeyOn(1, "w");
        var (watcher, watched) = Watch(key);
        Assert.Equal(1, TableOf(key)!.Count);
        RunOnShard(Cmd("SET", key, "other"));
        Assert.True(watcher.Dirty);
        Assert.Equal("*-1\r\n", Exec(1, Queue(["SET", key, "mine"]), watcher, watched));
        Assert.Equal(["$5\r\nother\r\n"], RunOnShard(Cmd("GET", key)));
        Assert.Equal(0, TableOf(key)!.Count);
    }

    [Fact]
    public void An_untouched_watch_lets_the_exec_run()
    {
        var key = KeyOn(2, "w");
        var (watcher, watched) = Watch(key);
        RunOnShard(Cmd("GET", key));
        Assert.Equal("*1\r\n+OK\r\n", Exec(2, Queue(["SET", key, "mine"]), watcher, watched));
        Assert.Equal(0, TableOf(key)!.Count);
    }

    [Fact]
    public void Unwatch_removes_the_entries_and_later_touches_are_ignored()
    {
        var key = KeyOn(3, "w");
        var (watcher, watched) = Watch(key);
        watcher.Closed = true;
        Server.Keyspace.Shards[3].Tell(new UnwatchKeys(watcher, [.. watched]));
        RunOnShard(Cmd("SET", key, "x"));
        Assert.Equal(0, TableOf(key)!.Count);
        Assert.False(watcher.Dirty);
    }

    [Fact]
    public void A_key_that_expires_after_watch_aborts_but_one_expired_before_does_not()
    {
        var late = KeyOn(0, "late");
        var early = KeyOn(0, "early");
        RunOnShard(Cmd("SET", early, "v", "PX", "1"));
        RunOnShard(Cmd("SET", late, "v", "PX", "1500"));
        var until = DateTimeOffset.UtcNow.AddMilliseconds(20);
        AwaitCondition(() => DateTimeOffset.UtcNow > until, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(5));
        var (earlyWatcher, earlyWatched) = Watch(early);
        var (lateWatcher, lateWatched) = Watch(late);
        until = DateTimeOffset.UtcNow.AddMilliseconds(1600);
        AwaitCondition(() => DateTimeOffset.UtcNow > until, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(5));
        Assert.Equal("*1\r\n:0\r\n", Exec(0, Queue(["EXISTS", early]), earlyWatcher, earlyWatched));
        Assert.Equal("*-1\r\n", Exec(0, Queue(["EXISTS", late]), lateWatcher, lateWatched));
    }

    [Fact]
    public void Flushall_touches_watched_keys_that_exist()
    {
        var present = KeyOn(1, "present");
        var missing = KeyOn(1, "missing");
        RunOnShard(Cmd("SET", present, "v"));
        var (presentWatcher, _) = Watch(present);
        var (missingWatcher, _) = Watch(missing);
        Assert.Equal("+OK\r\n", RunTransaction("FLUSHALL"));
        Assert.True(presentWatcher.Dirty);
        Assert.False(missingWatcher.Dirty);
    }

    [Fact]
    public void A_requester_that_goes_away_before_the_hand_over_does_not_keep_the_shards()
    {
        var request = new TransactionRequest { HandOver = true, Args = Cmd("EXEC") };
        Server.Keyspace.Transactions.Tell(request, ActorRefs.Nobody);
        Server.Keyspace.Transactions.Tell(new ReleaseShards(request, 0));
        // Every shard is free again: a whole-keyspace command gets through.
        Assert.Equal("+OK\r\n", RunTransaction("FLUSHALL"));
        Assert.Equal(["+OK\r\n"], RunOnShard(Cmd("SET", "k", "v")));
    }
}
