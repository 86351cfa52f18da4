using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>Sessions run a batch on their own thread when its shard is idle (ShardGate); the shard actor and inline runs
/// exclude each other, a held shard takes batches only as messages, and blocked clients are served inline too.</summary>
public sealed class ShardGateTests : KeyspaceTestBase
{
    private readonly ManualResetEventSlim _entered = new();
    private readonly ManualResetEventSlim _release = new();

    public ShardGateTests()
    {
        // A command that stays in its shard until the test lets it go, declared only for this test's table.
        Server.Commands.Add(new CommandDef("linger", 2, CommandFlags.Write, 1, 1, 1, AclCategories.None)
        {
            Handler = ctx =>
            {
                _entered.Set();
                _release.Wait(TimeSpan.FromSeconds(30));
                ctx.Reply.Ok();
            },
        });
    }

    private ShardBatch BatchOf(params byte[][][] commands)
    {
        var batch = new ShardBatch { ShardIndex = HashSlot.ShardOf(commands[0][1], Server.Keyspace.Shards.Length) };
        foreach (var c in commands) batch.Add(c, Server.Commands.Resolve(c, out _)!, batch.Commands.Count);
        return batch;
    }

    private ShardGate GateOf(ShardBatch batch) => Server.Keyspace.ShardData[batch.ShardIndex].Gate;

    private static string ReplyText(ShardBatch batch) =>
        System.Text.Encoding.UTF8.GetString(batch.Writer.Buffer, 0, batch.End);

    [Fact]
    public void An_idle_shard_runs_the_batch_on_the_callers_thread_and_sends_nothing()
    {
        RunOnShard(Cmd("SET", "g", "1")); // the actor has started and attached its gate
        var batch = BatchOf(Cmd("INCR", "g"), Cmd("GET", "g"));
        Assert.True(GateOf(batch).TryRun(batch));
        Assert.Equal(":2\r\n$1\r\n2\r\n", ReplyText(batch));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        // The actor sees what the inline run wrote.
        Assert.Equal(["$1\r\n2\r\n"], RunOnShard(Cmd("GET", "g")));
    }

    [Fact]
    public void A_shard_busy_with_a_message_refuses_inline_runs()
    {
        RunOnShard(Cmd("SET", "b", "1"));
        var slow = BatchOf(Cmd("LINGER", "b"));
        Server.Keyspace.Shards[slow.ShardIndex].Tell(slow, TestActor);
        Assert.True(_entered.Wait(TimeSpan.FromSeconds(10)));
        var batch = BatchOf(Cmd("GET", "b"));
        Assert.False(GateOf(batch).TryRun(batch));
        Assert.Equal(0, batch.Starts.Count); // nothing ran
        _release.Set();
        ExpectMsg<ShardBatch>();
        AwaitAssert(() => Assert.True(GateOf(batch).TryRun(batch)), TimeSpan.FromSeconds(5));
        Assert.Equal("$1\r\n1\r\n", ReplyText(batch));
    }

    [Fact]
    public void The_actor_waits_while_a_batch_runs_inline()
    {
        RunOnShard(Cmd("SET", "w", "1"));
        var slow = BatchOf(Cmd("LINGER", "w"));
        var inline = Task.Run(() => GateOf(slow).TryRun(slow));
        Assert.True(_entered.Wait(TimeSpan.FromSeconds(10)));
        var shard = Server.Keyspace.Shards[slow.ShardIndex];
        var get = BatchOf(Cmd("GET", "w"));
        shard.Tell(get, TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // the actor cannot enter the shard meanwhile
        _release.Set();
        Assert.True(inline.Wait(TimeSpan.FromSeconds(10)) && inline.Result);
        ExpectMsg<ShardBatch>(b => ReferenceEquals(b, get));
    }

    [Fact]
    public void A_held_shard_takes_batches_only_as_messages_until_released()
    {
        RunOnShard(Cmd("SET", "h", "1"));
        var batch = BatchOf(Cmd("GET", "h"));
        var shard = Server.Keyspace.Shards[batch.ShardIndex];
        shard.Tell(new Hold(7), TestActor);
        ExpectMsg<Held>();
        Assert.False(GateOf(batch).TryRun(batch));
        shard.Tell(new Release(7), TestActor);
        AwaitAssert(() => Assert.True(GateOf(batch).TryRun(batch)), TimeSpan.FromSeconds(5));
        Assert.Equal("$1\r\n1\r\n", ReplyText(batch));
    }

    [Fact]
    public void A_push_run_inline_serves_the_waiter_at_once_before_the_next_command()
    {
        var waiter = CreateTestProbe();
        var request = Block(waiter, "BLPOP", "q", "0");
        var shard = HashSlot.ShardOf("q"u8, Server.Keyspace.Shards.Length);
        AwaitAssert(() => Assert.Equal(1, Server.Keyspace.ShardData[shard].Blocking.Count), TimeSpan.FromSeconds(5));
        // Blocked clients elsewhere on the shard do not stop inline runs.
        var other = BatchOf(Cmd("LLEN", "q"));
        Assert.True(GateOf(other).TryRun(other));
        Assert.Equal(":0\r\n", ReplyText(other));
        // LPUSH readies q: the waiter is served right after it, on this thread (Redis serves it before the next
        // command), so the LPOP that follows finds nothing.
        var batch = BatchOf(Cmd("LPUSH", "q", "x"), Cmd("LPOP", "q"));
        Assert.True(GateOf(batch).TryRun(batch));
        Assert.Equal(2, batch.AnsweredEnd);
        Assert.Equal(":1\r\n$-1\r\n", ReplyText(batch));
        waiter.ExpectMsg<BlockedRequest>(r => ReferenceEquals(r, request));
        Assert.Equal("*2\r\n$1\r\nq\r\n$1\r\nx\r\n", ReplyOf(request));
        Assert.Equal(0, Server.Keyspace.ShardData[shard].Blocking.Count);
    }

    [Fact]
    public void A_blocking_command_attempted_inline_is_answered_at_once_or_parked_with_its_timeout()
    {
        RunOnShard(Cmd("RPUSH", "full", "a"));
        var session = CreateTestProbe();
        var shard = HashSlot.ShardOf("full"u8, Server.Keyspace.Shards.Length);
        var ready = BlockedRequestOf(session, "BLPOP", "full", "0");
        Attempt(Server.Keyspace.ShardData[shard].Gate, ready);
        session.ExpectMsg<BlockedRequest>(r => ReferenceEquals(r, ready));
        Assert.Equal("*2\r\n$4\r\nfull\r\n$1\r\na\r\n", ReplyOf(ready));

        // Nothing to pop: parked here, and its timeout (a timer of the shard's actor, started by a message) fires.
        var empty = BlockedRequestOf(session, "BLPOP", "empty", "0.2");
        var emptyShard = Server.Keyspace.ShardData[HashSlot.ShardOf("empty"u8, Server.Keyspace.Shards.Length)];
        Attempt(emptyShard.Gate, empty);
        Assert.True(emptyShard.Blocking.IsParked(empty));
        session.ExpectMsg<BlockedRequest>(r => ReferenceEquals(r, empty), TimeSpan.FromSeconds(10));
        Assert.Equal("*-1\r\n", ReplyOf(empty));

        // Parked with a long timeout and served inline: answered once, its timer gone with it.
        var later = BlockedRequestOf(session, "BLPOP", "later", "30");
        var laterShard = Server.Keyspace.ShardData[HashSlot.ShardOf("later"u8, Server.Keyspace.Shards.Length)];
        Attempt(laterShard.Gate, later);
        var push = BatchOf(Cmd("RPUSH", "later", "b"));
        AwaitAssert(() => Assert.True(GateOf(push).TryRun(push)), TimeSpan.FromSeconds(5));
        session.ExpectMsg<BlockedRequest>(r => ReferenceEquals(r, later));
        Assert.Equal("*2\r\n$5\r\nlater\r\n$1\r\nb\r\n", ReplyOf(later));
        Assert.False(laterShard.Blocking.IsParked(later));
        session.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    /// <summary>The gate may be taken for a moment by the actor's own ticks (active expiry): tried until it is free.</summary>
    private void Attempt(ShardGate gate, BlockedRequest request) =>
        AwaitAssert(() => Assert.True(gate.TryAttempt(request)), TimeSpan.FromSeconds(5));

    private static string ReplyOf(BlockedRequest request) =>
        System.Text.Encoding.UTF8.GetString(request.Writer.Buffer, request.ReplyStart, request.ReplyEnd - request.ReplyStart);

    protected override void Dispose(bool disposing)
    {
        _release.Set();
        base.Dispose(disposing);
    }
}
