using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>Commands on keys of several shards, and single-shard EXECs, run on the caller's thread holding the shards'
/// gates when all of them are free (Keyspace.CrossShardRun, ShardGate.TryExec), as the Transaction actor or the shard
/// would run them; a held shard makes the attempt fail without running anything.</summary>
public sealed class CrossShardRunTests : KeyspaceTestBase
{
    private CrossShardRun Runner => CrossShardRun.ForCurrentThread(Server.Services, Server.Keyspace.ShardData);

    /// <summary>The gates may be taken for a moment by the actors' own ticks (active expiry): tried until they are free.</summary>
    private void RunAcross(TransactionRequest request) =>
        AwaitAssert(() => Assert.True(Runner.TryRun(request, request.Shards)), TimeSpan.FromSeconds(5));

    [Fact]
    public void A_cross_shard_command_whose_shards_are_free_runs_on_the_callers_thread()
    {
        var (k0, k1) = (KeyOn(0, "m"), KeyOn(1, "m"));
        var request = TransactionFor(false, "MSET", k0, "a", k1, "b");
        Assert.Equal([0, 1], request.Shards);
        RunAcross(request);
        Assert.Equal("+OK\r\n", ReplyOf(request));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // nothing was sent anywhere
        // The shard actors see what it wrote.
        Assert.Equal(["$1\r\na\r\n"], RunOnShard(Cmd("GET", k0)));
        Assert.Equal(["$1\r\nb\r\n"], RunOnShard(Cmd("GET", k1)));
    }

    [Fact]
    public void A_held_shard_makes_the_attempt_fail_without_running_anything()
    {
        var (k0, k1) = (KeyOn(0, "h"), KeyOn(1, "h"));
        var shard1 = Server.Keyspace.Shards[1];
        shard1.Tell(new Hold(41), TestActor);
        ExpectMsg<Held>();
        var request = TransactionFor(false, "MSET", k0, "a", k1, "b");
        Assert.False(Runner.TryRun(request, request.Shards));
        Assert.Equal(0, request.Writer.Length);
        // Shard 0's gate was left as it was found: a batch runs there inline, and k0 was not written.
        var get = new ShardBatch { ShardIndex = 0 };
        get.Add(Cmd("GET", k0), Server.Commands.Resolve(Cmd("GET", k0), out _)!, 0);
        AwaitAssert(() => Assert.True(Server.Keyspace.ShardData[0].Gate.TryRun(get)), TimeSpan.FromSeconds(5));
        Assert.Equal("$-1\r\n", System.Text.Encoding.UTF8.GetString(get.Writer.Buffer, 0, get.End));
        shard1.Tell(new Release(41), TestActor);
        RunAcross(request);
        Assert.Equal("+OK\r\n", ReplyOf(request));
    }

    [Fact]
    public void A_client_blocked_on_a_key_it_pushes_to_is_served_when_the_shards_are_let_go()
    {
        var waiter = CreateTestProbe();
        var (source, target) = (KeyOn(0, "src"), KeyOn(1, "dst"));
        var blocked = Block(waiter, "BLPOP", target, "0");
        AwaitAssert(() => Assert.Equal(1, Server.Keyspace.ShardData[1].Blocking.Count), TimeSpan.FromSeconds(5));
        RunOnShard(Cmd("RPUSH", source, "x"));
        var move = TransactionFor(false, "LMOVE", source, target, "LEFT", "RIGHT");
        RunAcross(move);
        Assert.Equal("$1\r\nx\r\n", ReplyOf(move));
        waiter.ExpectMsg<BlockedRequest>(r => ReferenceEquals(r, blocked));
        Assert.Equal($"*2\r\n${target.Length}\r\n{target}\r\n$1\r\nx\r\n",
            System.Text.Encoding.UTF8.GetString(blocked.Writer.Buffer, blocked.ReplyStart, blocked.ReplyEnd - blocked.ReplyStart));
        Assert.Equal(["$-1\r\n"], RunOnShard(Cmd("LPOP", target)));
    }

    [Fact]
    public void A_single_shard_exec_runs_on_the_callers_thread_when_its_shard_is_free()
    {
        var key = KeyOn(2, "e");
        var exec = new ExecRequest { Queue = new MultiQueue(), Watched = new() };
        foreach (var command in new[] { Cmd("SET", key, "5"), Cmd("INCR", key), Cmd("GET", key) })
            exec.Queue.Add(Server.Commands.Resolve(command, out _)!, command);
        AwaitAssert(() => Assert.True(Server.Keyspace.ShardData[2].Gate.TryExec(exec)), TimeSpan.FromSeconds(5));
        Assert.Equal("*3\r\n+OK\r\n:6\r\n$1\r\n6\r\n",
            System.Text.Encoding.UTF8.GetString(exec.Writer.Buffer, exec.ReplyStart, exec.ReplyEnd - exec.ReplyStart));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
